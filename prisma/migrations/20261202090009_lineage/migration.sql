-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "revertedAt" TIMESTAMP(3),
ADD COLUMN     "revertedById" TEXT;

-- AlterTable
ALTER TABLE "SessionRelation" ADD COLUMN     "messageId" TEXT;

-- AlterTable
ALTER TABLE "Turn" ADD COLUMN     "revertedAt" TIMESTAMP(3);
