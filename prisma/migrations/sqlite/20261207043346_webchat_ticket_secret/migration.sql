-- AlterTable
ALTER TABLE "WebchatStreamTicket" ADD COLUMN "secretHash" TEXT;
