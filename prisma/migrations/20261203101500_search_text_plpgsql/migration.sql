-- The same searchable text, computed by PL/pgSQL instead of SQL (issue 18, writer cost).
-- A generated column calls its function once per written row, in a fresh expression state for
-- every statement: a LANGUAGE sql function that is not inlined there is parsed and planned again
-- on each INSERT or UPDATE (about 0.5 ms), which is most of what the index cost the live writer.
-- PL/pgSQL keeps its compiled body and plan for the connection's life. Same inputs, same text:
-- the stored vectors stay valid, so no row is rewritten.
CREATE OR REPLACE FUNCTION flightdeck_part_search_text(part_text text, part_data jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN nullif(left(concat_ws(' ',
    part_text,
    part_data ->> 'tool',
    part_data #>> '{state,title}',
    (part_data #> '{state,input}')::text,
    part_data #>> '{state,output}',
    part_data #>> '{state,error}',
    part_data ->> 'filename',
    part_data #>> '{source,path}',
    CASE WHEN jsonb_typeof(part_data -> 'files') = 'array' THEN (part_data -> 'files')::text END
  ), 100000), '');
END
$$;
