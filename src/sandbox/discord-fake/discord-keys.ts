import { generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';

/** An Ed25519 application key pair, the way the Discord developer portal shows the public half. */
export interface DiscordKeys {
  /** 64 hex characters: the raw 32-byte public key (config `chat.discord.public_key`). */
  readonly publicKeyHex: string;
  /** Signs `timestamp + body` and returns the two headers Discord sends. */
  sign(body: string, timestamp?: number): Record<string, string>;
}

export const newDiscordKeys = (): DiscordKeys => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return keysOf(publicKey, privateKey);
};

const keysOf = (publicKey: KeyObject, privateKey: KeyObject): DiscordKeys => {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    publicKeyHex: der.subarray(der.length - 32).toString('hex'),
    sign: (body, timestamp = Math.floor(Date.now() / 1000)) => {
      const ts = String(timestamp);
      const sig = edSign(null, Buffer.from(ts + body), privateKey).toString('hex');
      return { 'x-signature-ed25519': sig, 'x-signature-timestamp': ts };
    },
  };
};
