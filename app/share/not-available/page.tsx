import { ShareNotAvailable } from "~/components/share/share-not-available";

// What proxy.ts answers, with status 404, for a share address whose token does not open.
export default function ShareNotAvailablePage() {
  return <ShareNotAvailable />;
}
