-- AlterTable
ALTER TABLE "SessionRelation" DROP COLUMN "hidden";
