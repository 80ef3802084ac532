import { Client, Connection } from '@temporalio/client';
import { payloadCodecsFromEnv, type PayloadKeyEnv } from '../security/payload-codec';

/** Default address of the local dev server started by `ratchet dev` / `ratchet start`. */
export const LOCAL_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/**
 * A Temporal client for TEMPORAL_ADDRESS (or the local dev server), encrypting payloads when
 * RATCHET_PAYLOAD_KEY is set (`payloadKeys`, default the process env); close() its connection when done.
 */
export async function connectTemporalClient(address: string, namespace: string, payloadKeys: PayloadKeyEnv = process.env): Promise<{ client: Client; close: () => Promise<void> }> {
  const payloadCodecs = payloadCodecsFromEnv(payloadKeys);
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: 5_000 });
  } catch (error) {
    throw new Error(`cannot reach Temporal at ${address} (${(error as Error).message}); start the local stack with 'npx ratchet dev' or set TEMPORAL_ADDRESS`);
  }
  return { client: new Client({ connection, namespace, dataConverter: { payloadCodecs } }), close: () => connection.close() };
}

/** Runs `work` with a client for TEMPORAL_ADDRESS (or the local dev server) and closes it after. */
export async function withTemporalClient<T>(env: { TEMPORAL_ADDRESS?: string; TEMPORAL_NAMESPACE: string } & PayloadKeyEnv, work: (client: Client) => Promise<T>): Promise<T> {
  const { client, close } = await connectTemporalClient(env.TEMPORAL_ADDRESS ?? LOCAL_TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE, env);
  try {
    return await work(client);
  } finally {
    await close();
  }
}
