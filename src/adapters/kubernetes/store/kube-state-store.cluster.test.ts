import { beforeAll } from 'vitest';
import { describeStateStoreContract } from '../../store/state-store.contract.js';
import {
  adminConfig,
  createNamespace,
  deleteNamespace,
  installCrds,
} from '../../../testing/kube/kube-test-env.js';
import { KubeStateStore } from './kube-state-store.js';

beforeAll(async () => {
  await installCrds(adminConfig());
});

describeStateStoreContract('KubeStateStore (admin)', async () => {
  const kc = adminConfig();
  const namespace = await createNamespace(kc, 'k3sc-contract');
  const store = new KubeStateStore({ kubeConfig: kc, namespace });
  return {
    store,
    dispose: async () => {
      await store.close();
      await deleteNamespace(kc, namespace);
    },
  };
});
