-- CreateEnum
CREATE TYPE "MountState" AS ENUM ('active', 'merged', 'discarded', 'removed');

-- AlterTable
ALTER TABLE "Runner" ADD COLUMN     "worktreeByDefault" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Mount" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "baseRef" TEXT,
    "baseCommit" TEXT NOT NULL,
    "state" "MountState" NOT NULL DEFAULT 'active',
    "finalDiff" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Mount_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Mount_sessionId_key" ON "Mount"("sessionId");

-- CreateIndex
CREATE INDEX "Mount_state_idx" ON "Mount"("state");

-- AddForeignKey
ALTER TABLE "Mount" ADD CONSTRAINT "Mount_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
