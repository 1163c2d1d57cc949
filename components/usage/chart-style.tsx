import type { ReactNode } from "react";

// What both usage charts share so that their text reads in either theme: recharts draws ticks
// in a fixed grey and legend labels in their series' colour (2 to 3:1 on white for the lighter
// ones); these take the figure's text colour instead, and the legend keeps the colour in its swatch.

export const axisTick = { fill: "currentColor" };

export const legendText = (value: ReactNode) => <span className="text-slate-700">{value}</span>;

/** The hover box: the page's own surface and border, not recharts' fixed white. */
export const tooltipStyle = {
  contentStyle: { backgroundColor: "var(--color-white)", borderColor: "var(--color-slate-200)" },
  cursor: { fill: "var(--color-slate-100)" },
};
