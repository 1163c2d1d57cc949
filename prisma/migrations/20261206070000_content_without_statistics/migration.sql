-- ANALYZE leaves out the content columns: a part's text and raw data, a tool call's input,
-- output and error, a message's raw data and error. No query filters or joins on them (search
-- reads Part.search, whose statistics stay), so their statistics never served the planner, and
-- gathering them was most of what ANALYZE cost: on PGlite, whose one thread is the app's,
-- analyzing 50,000 parts took 0.65 to 1.1 s in one statement, and 0.18 to 0.35 s without them
-- (server/pglite-statistics.ts analyzes grown tables every 10 minutes; PostgreSQL's autovacuum
-- does the same on its own).
ALTER TABLE "Part" ALTER COLUMN "text" SET STATISTICS 0;
ALTER TABLE "Part" ALTER COLUMN "data" SET STATISTICS 0;
ALTER TABLE "ToolSpan" ALTER COLUMN "input" SET STATISTICS 0;
ALTER TABLE "ToolSpan" ALTER COLUMN "output" SET STATISTICS 0;
ALTER TABLE "ToolSpan" ALTER COLUMN "error" SET STATISTICS 0;
ALTER TABLE "Message" ALTER COLUMN "data" SET STATISTICS 0;
ALTER TABLE "Message" ALTER COLUMN "error" SET STATISTICS 0;
