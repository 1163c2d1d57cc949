-- AlterTable
ALTER TABLE "SessionSnapshot" ADD COLUMN     "agent" TEXT,
ADD COLUMN     "modelId" TEXT,
ADD COLUMN     "providerId" TEXT;
