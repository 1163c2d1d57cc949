-- The table holds a session's state at its last turn boundary (server/stream/session-boundary.ts),
-- not a snapshot: "snapshot" is the live stream's catch-up record. Renamed in place, rows kept.
ALTER TABLE "SessionSnapshot" RENAME TO "SessionBoundary";
ALTER TABLE "SessionBoundary" RENAME CONSTRAINT "SessionSnapshot_pkey" TO "SessionBoundary_pkey";
ALTER TABLE "SessionBoundary" RENAME CONSTRAINT "SessionSnapshot_sessionId_fkey" TO "SessionBoundary_sessionId_fkey";
ALTER TABLE "SessionBoundary" RENAME CONSTRAINT "SessionSnapshot_currentTurnId_fkey" TO "SessionBoundary_currentTurnId_fkey";
