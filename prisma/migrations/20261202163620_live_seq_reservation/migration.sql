-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "seqReserved" INTEGER NOT NULL DEFAULT 0;
