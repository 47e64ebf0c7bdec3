-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN "conversationId" INTEGER;
ALTER TABLE "Attachment" ADD COLUMN "staffId" INTEGER;
