import { handleRoute } from "~/server/api/route-handler";
import { csvFileName, usageCsv } from "~/server/usage/csv";
import { USAGE_FIELDS, usageInputOf } from "~/server/usage/search-params";

export const dynamic = "force-dynamic";

/**
 * GET with the Usage page's own query (`from`, `to`, `runner`): every tree of the range with its
 * tokens and cost, as a CSV download. Through `usage.trees`, so only team members get it: signed
 * out 401, a share link 401 (its token makes the caller the link, never an account), a bad date
 * 400 naming the field.
 */
export async function GET(request: Request) {
  return handleRoute(request, async (api) => {
    const { range, trees } = await api.usage.trees(usageInputOf(new URL(request.url).searchParams));
    return new Response(usageCsv(trees), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${csvFileName(range)}"`,
        "x-content-type-options": "nosniff",
        "cache-control": "no-store",
      },
    });
  }, USAGE_FIELDS);
}
