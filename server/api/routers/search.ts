import { command } from "~/server/api/errors";
import { createTRPCRouter, viewerProcedure } from "~/server/api/trpc";
import { searchFacets } from "~/server/search/facets";
import { searchInput } from "~/server/search/input";
import { searchTrees } from "~/server/search/search";

// Every member may search every tree they may read (all of the archive that is not purged);
// share-link readers may not search at all (viewerProcedure refuses them).
export const searchRouter = createTRPCRouter({
  /** The runners, people, models and agents the filters offer. */
  facets: viewerProcedure.query(async ({ ctx }) => searchFacets((await ctx.services()).db)),
  query: viewerProcedure.input(searchInput).query(async ({ ctx, input }) => command(async () => searchTrees((await ctx.services()).db, input))),
});
