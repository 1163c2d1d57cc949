/** The parts of a windowed view before its first row, as a button that loads the page before it. */
export function LoadOlderButton({ count, onLoad, className }: { count: number; onLoad: () => void; className: string }) {
  return (
    <button type="button" data-testid="load-older" onClick={onLoad} className={className}>
      {count.toLocaleString("en-US")} earlier part{count === 1 ? "" : "s"}: load
    </button>
  );
}
