-- Part.search is filled behind the writers (issue 15: a full archive sync of 10,000 parts spent
-- about 0.5 s of its 2.5 s on PGlite computing this column, and the live writer computed it
-- again for a streaming part's whole text on every batch). A written part's vector is NULL
-- until server/search/indexer.ts fills it, about a second later; meanwhile the search query
-- computes it on the fly for those rows (server/search/search.ts), so results never lag.

-- The vector of a part, for the indexer and for the query's rows still pending: the same
-- expression the generated column had, so the stored vectors stay valid.
CREATE FUNCTION flightdeck_part_search(part_text text, part_data jsonb) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN to_tsvector('english'::regconfig, translate(coalesce(flightdeck_part_search_text(part_text, part_data), ''), '/.', '  '));
END
$$;

-- Keeps every stored vector; new rows get NULL.
ALTER TABLE "Part" ALTER COLUMN "search" DROP EXPRESSION;

-- A part whose text or data is written again is pending again.
CREATE FUNCTION flightdeck_part_search_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := NULL;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Part_search_stale" BEFORE UPDATE OF "text", "data" ON "Part"
  FOR EACH ROW EXECUTE FUNCTION flightdeck_part_search_stale();

-- The pending rows, for the indexer and the query's fallback: few at any time.
CREATE INDEX "Part_search_pending_idx" ON "Part" ("id") WHERE "search" IS NULL;
