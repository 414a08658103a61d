import { dumpYaml, type V1Job } from '@kubernetes/client-node';

/** The Job as `kubectl get -o yaml` would show what k3sc sends (a document, `---`-separable). */
export const objectYaml = (obj: object): string => dumpYaml(obj);

export const jobYaml = (job: V1Job): string => objectYaml(job);
