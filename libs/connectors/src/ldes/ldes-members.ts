/**
 * The members of one step as the ldes-client extracted them (its own TREE traversal, CBD/shape member
 * extraction and version materialisation). Archived beside the raw fragments because member extraction
 * is asynchronous in the client and `mapPage` is synchronous: mapPage reads this record, not the client.
 */
export const LDES_MEMBERS_CONTENT_TYPE = 'application/vnd.cultuurdata.ldes-members+json';

export interface LdesMemberRecord {
  /** The member IRI after materialisation (= the ldes:versionOfPath object when the stream has one). */
  id: string;
  /** The version-of IRI: the identity of the activity whose version this member is. */
  isVersionOf?: string;
  /** The ldes:timestampPath value, ISO 8601. */
  timestamp?: string;
  /** The member's quads, N-Quads. */
  nquads: string;
}

export interface LdesMembersRecord {
  /** The feed the members come from (the configured LDES URL). */
  stream: string;
  timestampPath?: string;
  versionOfPath?: string;
  /** ldes:versionDeletePath (default rdf:type) and ldes:versionDeleteObject: how a deletion member is recognised. */
  versionDeletePath?: string;
  versionDeleteObject?: string;
  /** Fragment URLs fetched in this step, in order (their bodies are the step's other responses). */
  fragments: string[];
  members: LdesMemberRecord[];
}
