-- AlterTable
ALTER TABLE "Runner" ADD COLUMN     "alwaysAllow" BOOLEAN NOT NULL DEFAULT true;
