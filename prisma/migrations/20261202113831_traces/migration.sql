-- CreateEnum
CREATE TYPE "CostSource" AS ENUM ('reported', 'computed', 'unknown');

-- CreateEnum
CREATE TYPE "WaitKind" AS ENUM ('permission', 'question', 'retry');

-- AlterEnum
ALTER TYPE "ToolSpanStatus" ADD VALUE 'interrupted';

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "costSource" "CostSource" NOT NULL DEFAULT 'reported',
ADD COLUMN     "priceVersion" TEXT;

-- CreateTable
CREATE TABLE "WaitSpan" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "turnId" TEXT,
    "kind" "WaitKind" NOT NULL,
    "key" TEXT NOT NULL,
    "callId" TEXT,
    "title" TEXT NOT NULL,
    "reply" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "WaitSpan_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WaitSpan_turnId_idx" ON "WaitSpan"("turnId");

-- CreateIndex
CREATE UNIQUE INDEX "WaitSpan_sessionId_key_key" ON "WaitSpan"("sessionId", "key");

-- AddForeignKey
ALTER TABLE "WaitSpan" ADD CONSTRAINT "WaitSpan_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaitSpan" ADD CONSTRAINT "WaitSpan_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn"("id") ON DELETE CASCADE ON UPDATE CASCADE;
