-- AlterTable
ALTER TABLE "ShareLink" ADD COLUMN     "includeReasoning" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "includeSubAgents" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "includeToolOutputs" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "ShareView" (
    "linkId" TEXT NOT NULL,
    "viewer" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "firstAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShareView_pkey" PRIMARY KEY ("linkId","viewer","day")
);

-- CreateTable
CREATE TABLE "ShareSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "patterns" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "ShareSettings_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "ShareView" ADD CONSTRAINT "ShareView_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "ShareLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;
