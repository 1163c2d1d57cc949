import { formatCost, formatPercent, formatTokens } from "./format";
import type { Usage } from "./tree";

/**
 * Tokens and cost of a session tree, and how much of the model's context window the latest
 * call used (when the model's limit is known).
 */
export function UsageMeter({ usage, context }: { usage: Usage; context?: { used: number; max?: number } }) {
  const fraction = context?.max ? Math.min(1, context.used / context.max) : undefined;
  const bar = fraction === undefined ? "" : fraction > 0.9 ? "bg-red-500" : fraction > 0.7 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <dl data-testid="usage-meter" className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600">
      <Item label="Input" value={formatTokens(usage.input)} />
      <Item label="Output" value={formatTokens(usage.output)} />
      <Item label="Reasoning" value={formatTokens(usage.reasoning)} />
      <Item label="Cache" value={`${formatTokens(usage.cacheRead)} read / ${formatTokens(usage.cacheWrite)} write`} />
      <Item label="Cost" value={formatCost(usage.cost)} />
      {context && (
        <div className="flex items-center gap-2">
          <dt className="text-slate-500">Context</dt>
          <dd className="flex items-center gap-2">
            {fraction !== undefined && (
              <span
                className="relative inline-block h-1.5 w-24 overflow-hidden rounded-full bg-slate-200"
                role="meter"
                aria-label="Context window used"
                aria-valuemin={0}
                aria-valuemax={context.max}
                aria-valuenow={context.used}
              >
                <span className={`absolute inset-y-0 left-0 ${bar}`} style={{ width: formatPercent(fraction) }} />
              </span>
            )}
            <span className="tabular-nums">
              {formatTokens(context.used)}
              {context.max ? ` of ${formatTokens(context.max)} (${formatPercent(fraction ?? 0)})` : ""}
            </span>
          </dd>
        </div>
      )}
    </dl>
  );
}

function Item({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex gap-1">
      <dt className="text-slate-500">{label}</dt>
      <dd className="tabular-nums text-slate-700">{value}</dd>
    </div>
  );
}
