import { KubeConfig } from '@kubernetes/client-node';

/** The same credentials as `kc`, with the server replaced (e.g. by a TCP proxy's URL). */
export const viaServer = (kc: KubeConfig, server: string): KubeConfig => {
  const out = new KubeConfig();
  out.loadFromString(kc.exportConfig());
  const current = out.getCurrentCluster();
  out.clusters = out.clusters.map((c) => (c.name === current?.name ? { ...c, server } : c));
  return out;
};
