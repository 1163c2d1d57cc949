import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>["session"];
export type FamilyMember = Outputs["tree"][number];
export type TimelinePage = Outputs["timeline"];
export type TimelineTurn = TimelinePage["turns"][number];
export type RevertPreview = Outputs["revertPreview"];
