-- AlterTable
ALTER TABLE "Runner" ADD COLUMN     "retentionDays" INTEGER;
