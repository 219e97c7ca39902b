-- Signing secret of webhook notification rules (AES-256-GCM ciphertext; the secret is shown once).
ALTER TABLE "notification_rule" ADD COLUMN "webhook_secret_enc" TEXT;
