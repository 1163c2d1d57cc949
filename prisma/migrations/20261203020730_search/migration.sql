-- Full-text search (issue 18). PostgreSQL keeps both columns current on every insert and update
-- (generated columns), so the live writer, the archive sync, imports and forks all index what
-- they write without knowing about search.

-- What of a part is searchable: its text (prompts, answers, reasoning), and for other types the
-- fields of the raw opencode part people look for: tool name, title, input, output and error;
-- file names and paths; a patch's files. Capped so one huge output cannot make a tsvector over
-- its 1 MB limit; the search query builds its snippets from the same text. Slashes and dots
-- become spaces in the index so a path's parts are words of their own ("search" finds
-- "src/search.ts"); the query does the same to its words (server/search/tsquery.ts).
CREATE FUNCTION flightdeck_part_search_text(part_text text, part_data jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(left(concat_ws(' ',
    part_text,
    part_data ->> 'tool',
    part_data #>> '{state,title}',
    (part_data #> '{state,input}')::text,
    part_data #>> '{state,output}',
    part_data #>> '{state,error}',
    part_data ->> 'filename',
    part_data #>> '{source,path}',
    CASE WHEN jsonb_typeof(part_data -> 'files') = 'array' THEN (part_data -> 'files')::text END
  ), 100000), '')
$$;

-- AlterTable
ALTER TABLE "Part" ADD COLUMN "search" tsvector
  GENERATED ALWAYS AS (to_tsvector('english'::regconfig, translate(coalesce(flightdeck_part_search_text("text", "data"), ''), '/.', '  '))) STORED;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN "search" tsvector
  GENERATED ALWAYS AS (to_tsvector('english'::regconfig, translate("title", '/.', '  '))) STORED;

-- CreateIndex
CREATE INDEX "Part_search_idx" ON "Part" USING GIN ("search");

-- CreateIndex
CREATE INDEX "Session_search_idx" ON "Session" USING GIN ("search");
