-- Words after an HTML tag were not searchable: PostgreSQL's parser reads "<script ...>" as a tag
-- and skips what follows until "</script>", which the '/' -> ' ' translation had broken, so the
-- rest of the part was never indexed (any web-development session). '<' is now a space too, so
-- the parser sees no tags at all: every word of a part, a title or an error is indexed.

CREATE OR REPLACE FUNCTION flightdeck_part_search(part_text text, part_data jsonb) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN to_tsvector('english'::regconfig, translate(coalesce(flightdeck_part_search_text(part_text, part_data), ''), '/.<', '   '));
END
$$;

-- Parts that hold a '<' are indexed again by the indexer (server/search/indexer.ts); searches
-- compute their vectors meanwhile, so none is missed.
UPDATE "Part" SET "search" = NULL
WHERE "search" IS NOT NULL AND strpos(coalesce(flightdeck_part_search_text("text", "data"), ''), '<') > 0;

DROP INDEX "Session_search_idx";
ALTER TABLE "Session" DROP COLUMN "search";
ALTER TABLE "Session" ADD COLUMN "search" tsvector
  GENERATED ALWAYS AS (to_tsvector('english'::regconfig, translate("title", '/.<', '   '))) STORED;
CREATE INDEX "Session_search_idx" ON "Session" USING GIN ("search");
