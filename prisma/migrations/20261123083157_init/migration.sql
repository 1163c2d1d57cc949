-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'operator', 'viewer');

-- CreateEnum
CREATE TYPE "RunnerKind" AS ENUM ('embedded', 'remote');

-- CreateEnum
CREATE TYPE "RunnerStatus" AS ENUM ('starting', 'healthy', 'unhealthy', 'stopped');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('idle', 'running', 'waiting', 'stalled', 'error');

-- CreateEnum
CREATE TYPE "ArchiveState" AS ENUM ('none', 'syncing', 'archived', 'failed');

-- CreateEnum
CREATE TYPE "RelationKind" AS ENUM ('subagent', 'fork');

-- CreateEnum
CREATE TYPE "TurnStatus" AS ENUM ('running', 'completed', 'error', 'aborted', 'stalled');

-- CreateEnum
CREATE TYPE "ToolSpanStatus" AS ENUM ('pending', 'running', 'completed', 'error');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "passwordHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Runner" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "RunnerKind" NOT NULL,
    "url" TEXT NOT NULL,
    "username" TEXT,
    "password" TEXT,
    "status" "RunnerStatus" NOT NULL DEFAULT 'starting',
    "version" TEXT,
    "lastError" TEXT,
    "lastSeenAt" TIMESTAMP(3),
    "instanceId" TEXT,
    "modelConfigKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Runner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "opencodeId" TEXT NOT NULL,
    "runnerId" TEXT NOT NULL,
    "rootId" TEXT,
    "directory" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "agent" TEXT,
    "providerId" TEXT,
    "modelId" TEXT,
    "status" "SessionStatus" NOT NULL DEFAULT 'idle',
    "statusReason" TEXT,
    "runnerInstanceId" TEXT,
    "modelConfigKey" TEXT,
    "stale" BOOLEAN NOT NULL DEFAULT false,
    "revert" JSONB,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "tokensInput" INTEGER NOT NULL DEFAULT 0,
    "tokensOutput" INTEGER NOT NULL DEFAULT 0,
    "tokensReasoning" INTEGER NOT NULL DEFAULT 0,
    "tokensCacheRead" INTEGER NOT NULL DEFAULT 0,
    "tokensCacheWrite" INTEGER NOT NULL DEFAULT 0,
    "cost" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),
    "purgedAt" TIMESTAMP(3),
    "archiveState" "ArchiveState" NOT NULL DEFAULT 'none',
    "archiveError" TEXT,
    "archiveVersion" INTEGER NOT NULL DEFAULT 0,
    "lastArchivedAt" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionRelation" (
    "id" TEXT NOT NULL,
    "parentId" TEXT NOT NULL,
    "childId" TEXT NOT NULL,
    "kind" "RelationKind" NOT NULL,
    "toolCallId" TEXT,
    "turnId" TEXT,
    "hidden" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionRelation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Turn" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "userMessageId" TEXT NOT NULL,
    "status" "TurnStatus" NOT NULL DEFAULT 'running',
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Turn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "turnId" TEXT NOT NULL,
    "opencodeId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "agent" TEXT,
    "providerId" TEXT,
    "modelId" TEXT,
    "tokensInput" INTEGER NOT NULL DEFAULT 0,
    "tokensOutput" INTEGER NOT NULL DEFAULT 0,
    "tokensReasoning" INTEGER NOT NULL DEFAULT 0,
    "tokensCacheRead" INTEGER NOT NULL DEFAULT 0,
    "tokensCacheWrite" INTEGER NOT NULL DEFAULT 0,
    "cost" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "error" JSONB,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Part" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "turnId" TEXT NOT NULL,
    "opencodeId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "text" TEXT,
    "data" JSONB NOT NULL,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Part_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ToolSpan" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "partId" TEXT NOT NULL,
    "turnId" TEXT NOT NULL,
    "callId" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "title" TEXT,
    "status" "ToolSpanStatus" NOT NULL,
    "input" JSONB,
    "output" TEXT,
    "outputTruncated" BOOLEAN NOT NULL DEFAULT false,
    "outputBytes" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "childSessionId" TEXT,

    CONSTRAINT "ToolSpan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionSnapshot" (
    "sessionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "status" "SessionStatus" NOT NULL,
    "currentTurnId" TEXT,
    "usage" JSONB NOT NULL,
    "todos" JSONB NOT NULL,
    "requests" JSONB NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SessionSnapshot_pkey" PRIMARY KEY ("sessionId")
);

-- CreateTable
CREATE TABLE "ShareLink" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "viewCount" INTEGER NOT NULL DEFAULT 0,
    "lastViewedAt" TIMESTAMP(3),

    CONSTRAINT "ShareLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Runner_name_key" ON "Runner"("name");

-- CreateIndex
CREATE INDEX "Runner_status_idx" ON "Runner"("status");

-- CreateIndex
CREATE INDEX "Session_rootId_idx" ON "Session"("rootId");

-- CreateIndex
CREATE INDEX "Session_status_idx" ON "Session"("status");

-- CreateIndex
CREATE INDEX "Session_deletedAt_lastActivityAt_idx" ON "Session"("deletedAt", "lastActivityAt");

-- CreateIndex
CREATE INDEX "Session_archiveState_idx" ON "Session"("archiveState");

-- CreateIndex
CREATE INDEX "Session_title_idx" ON "Session"("title");

-- CreateIndex
CREATE UNIQUE INDEX "Session_runnerId_opencodeId_key" ON "Session"("runnerId", "opencodeId");

-- CreateIndex
CREATE INDEX "SessionRelation_childId_idx" ON "SessionRelation"("childId");

-- CreateIndex
CREATE INDEX "SessionRelation_turnId_idx" ON "SessionRelation"("turnId");

-- CreateIndex
CREATE UNIQUE INDEX "SessionRelation_parentId_childId_kind_key" ON "SessionRelation"("parentId", "childId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Turn_sessionId_index_key" ON "Turn"("sessionId", "index");

-- CreateIndex
CREATE UNIQUE INDEX "Turn_sessionId_userMessageId_key" ON "Turn"("sessionId", "userMessageId");

-- CreateIndex
CREATE INDEX "Message_turnId_idx" ON "Message"("turnId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_sessionId_opencodeId_key" ON "Message"("sessionId", "opencodeId");

-- CreateIndex
CREATE INDEX "Part_messageId_idx" ON "Part"("messageId");

-- CreateIndex
CREATE INDEX "Part_turnId_idx" ON "Part"("turnId");

-- CreateIndex
CREATE UNIQUE INDEX "Part_sessionId_opencodeId_key" ON "Part"("sessionId", "opencodeId");

-- CreateIndex
CREATE UNIQUE INDEX "ToolSpan_partId_key" ON "ToolSpan"("partId");

-- CreateIndex
CREATE INDEX "ToolSpan_sessionId_startedAt_idx" ON "ToolSpan"("sessionId", "startedAt");

-- CreateIndex
CREATE INDEX "ToolSpan_turnId_idx" ON "ToolSpan"("turnId");

-- CreateIndex
CREATE INDEX "ToolSpan_childSessionId_idx" ON "ToolSpan"("childSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "ShareLink_tokenHash_key" ON "ShareLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ShareLink_sessionId_idx" ON "ShareLink"("sessionId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_runnerId_fkey" FOREIGN KEY ("runnerId") REFERENCES "Runner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_rootId_fkey" FOREIGN KEY ("rootId") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionRelation" ADD CONSTRAINT "SessionRelation_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionRelation" ADD CONSTRAINT "SessionRelation_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionRelation" ADD CONSTRAINT "SessionRelation_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Turn" ADD CONSTRAINT "Turn_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Part" ADD CONSTRAINT "Part_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Part" ADD CONSTRAINT "Part_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Part" ADD CONSTRAINT "Part_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ToolSpan" ADD CONSTRAINT "ToolSpan_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ToolSpan" ADD CONSTRAINT "ToolSpan_partId_fkey" FOREIGN KEY ("partId") REFERENCES "Part"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ToolSpan" ADD CONSTRAINT "ToolSpan_turnId_fkey" FOREIGN KEY ("turnId") REFERENCES "Turn"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ToolSpan" ADD CONSTRAINT "ToolSpan_childSessionId_fkey" FOREIGN KEY ("childSessionId") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionSnapshot" ADD CONSTRAINT "SessionSnapshot_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionSnapshot" ADD CONSTRAINT "SessionSnapshot_currentTurnId_fkey" FOREIGN KEY ("currentTurnId") REFERENCES "Turn"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShareLink" ADD CONSTRAINT "ShareLink_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShareLink" ADD CONSTRAINT "ShareLink_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
