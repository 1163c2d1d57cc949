-- Issue 15: an incremental sync plans only the messages whose runner fingerprint differs from
-- the one a sync stored here (server/archive/fingerprints.ts).
ALTER TABLE "Message" ADD COLUMN "syncFingerprint" TEXT,
ADD COLUMN "syncVerifiedAt" TIMESTAMP(3);
