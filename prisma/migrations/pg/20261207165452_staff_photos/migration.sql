-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "conversationId" INTEGER,
ADD COLUMN     "staffId" INTEGER;
