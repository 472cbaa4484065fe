import type { UserError } from '../errors.js';
import type { TagTarget } from '../inputs.js';
import type { Logger } from '../log.js';
import type { ManifestCache, CopyTally } from '../oci/copy.js';
import type { Descriptor, Index, Platform } from '../oci/descriptor.js';
import type { BuiltIndex } from '../oci/index.js';
import type { Repository } from '../oci/reference.js';
import type { RegistryClients, RemoteRepository } from '../oci/client.js';
import type { SourcedRecord } from '../records/record.js';
import type { RecordStore } from '../records/store.js';

/** The data both actions publish with: what is asked for, what is planned, what each target did. */

/** What a publish is asked for: the merge action's inputs, or the build action's with `tags`. */
export interface PublishInputs {
  readonly images: readonly Repository[];
  readonly tags: readonly TagTarget[];
  /** The platforms the index must hold; empty when the records alone decide. */
  readonly platforms: readonly Platform[];
  readonly annotations: IndexAnnotations;
  readonly 'platform-overrides': readonly PlatformOverride[];
  readonly 'allow-partial': boolean;
  /** Whether BuildKit's attestation manifests are published beside their images or left out. */
  readonly attestations: 'keep' | 'drop';
  /** Keep what the tags already hold for platforms the records do not have. */
  readonly append: boolean;
  readonly 'dry-run': boolean;
  /** Read every tag and child back after publishing. */
  readonly verify: boolean;
}

/** Index annotations, and annotations on its entries. */
export interface IndexAnnotations {
  readonly index: Readonly<Record<string, string>>;
  readonly descriptors: readonly DescriptorAnnotation[];
}

/** An annotation on the index's entries: those of one platform, or every entry when `platform` is unset. */
export interface DescriptorAnnotation {
  readonly platform?: Platform;
  readonly key: string;
  readonly value: string;
}

/** What `docker manifest annotate --arch` did: give the entry with this digest or platform another platform. */
export interface PlatformOverride {
  readonly match: { readonly digest: string } | { readonly platform: Platform };
  readonly platform: Platform;
}

/** A record with the content of its digest when that is an index (the caller fetched it); undefined otherwise. */
export interface ResolvedRecord {
  readonly sourced: SourcedRecord;
  readonly index?: Index;
}

export interface Child {
  /** Exactly as it goes into the index. */
  readonly descriptor: Descriptor;
  readonly kind: 'image' | 'attestation';
  /** The record sources it came from (file paths, artifact names), for messages. */
  readonly sources: readonly string[];
  /** The canonical repositories the records say it was pushed to. */
  readonly foundIn: readonly string[];
}

export interface TargetPlan {
  readonly repository: Repository;
  /** formatRepository(repository): how messages, outputs and records name it. */
  readonly reference: string;
  readonly tags: readonly string[];
}

/** Everything the publish step writes, decided before any write. */
export interface MergePlan {
  readonly index: BuiltIndex;
  /** In index order: images by platform, then attestations. */
  readonly children: readonly Child[];
  readonly targets: readonly TargetPlan[];
}

/** A target after the read phase: what it lacks and where each missing child can be copied from. */
export interface CheckedTarget {
  readonly target: TargetPlan;
  readonly remote: RemoteRepository;
  readonly missing: readonly MissingChild[];
}

export interface MissingChild {
  readonly child: Child;
  readonly sources: readonly RemoteRepository[];
}

export interface TargetResult {
  readonly target: TargetPlan;
  readonly tagsWritten: readonly string[];
  readonly indexWritten: boolean;
  readonly copied: CopyTally;
  /** The children this target lacked and got from another repository. */
  readonly childrenCopied: readonly string[];
  readonly error?: UserError;
}

/** What one tag resolved to when it was read back: the index just published, another digest, or nothing. */
export interface TagReading {
  readonly tag: string;
  readonly digest: string | undefined;
  /** Why the tag could not be read back at all (the registry failed): what was published is still reported. */
  readonly unreadable?: string;
}

export interface TargetVerification {
  readonly target: TargetPlan;
  readonly tags: readonly TagReading[];
  /** Children of the index the repository does not resolve. */
  readonly missingChildren: readonly string[];
}

export interface MergeDependencies {
  readonly store: RecordStore;
  /** How the records' origin is named in messages (`records-path`, or the artifacts of this run). */
  readonly recordsSubject: string;
  readonly clients: RegistryClients;
  readonly logger: Logger;
  readonly consistencyWaitMs?: number;
}

export interface MergeOutcome {
  readonly plan: MergePlan;
  readonly warnings: readonly string[];
  /** Empty on a dry run. */
  readonly results: readonly TargetResult[];
  /** What each target held when read back after the write; empty when verify is off. */
  readonly verifications: readonly TargetVerification[];
}

export interface PlannedMerge {
  readonly plan: MergePlan;
  readonly warnings: readonly string[];
}

/** How the read and write phases go about their work. */
export interface PublishOptions {
  readonly logger: Logger;
  /** Manifests read during this publish, shared by the read phase and the copies. */
  readonly manifests: ManifestCache;
  /** How long to wait out a child that a record says was pushed but a registry does not show yet. */
  readonly consistencyWaitMs?: number;
  readonly tagConcurrency?: number;
}
