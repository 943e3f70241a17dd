/**
 * The Yesplan REST API's JSON as its manual describes it (https://manual.yesplan.be/en/developers/rest-api/):
 * only the fields this connector reads are typed; everything is optional because installations differ and
 * a record missing a field must become a clear per-item problem, not a crash.
 */

/** A reference to another Yesplan object, as embedded in a document: `{url, id, name, _type}`. */
export interface YesplanRef {
  url?: string;
  id?: string;
  name?: string;
  _type?: string;
}

/** An event (`_type: "event"`): one slot in the planning, e.g. one performance of a production. */
export interface YesplanEvent {
  url?: string;
  id?: string;
  name?: string;
  _type?: string;
  /** The production (group) the event belongs to. */
  group?: YesplanRef | null;
  /** Planning times: often include build-up and breakdown. */
  starttime?: string | null;
  endtime?: string | null;
  startdate?: string | null;
  enddate?: string | null;
  /** The public time slot (the event's default schedule), when the installation fills it in. */
  defaultschedulestart?: string | null;
  defaultscheduleend?: string | null;
  defaultscheduledescription?: string | null;
  profile?: YesplanRef | null;
  status?: YesplanRef | null;
  locations?: YesplanRef[] | null;
  production?: YesplanRef | null;
  isproduction?: boolean;
  labels?: string[];
}

/** `pagination` of a list: `next` is the URL of the following page (absent on the last one). */
export interface YesplanPagination {
  next?: string | null;
  /** When the result set ("book") behind `next` is discarded by the server. */
  expires?: string | null;
}

/** `GET /api/events/{query}`. */
export interface YesplanEventList {
  pagination?: YesplanPagination;
  data?: YesplanEvent[];
}

/** `GET /api/location/{id}`: a room or venue in the planning. Yesplan keeps no postal address for it. */
export interface YesplanLocation {
  url?: string;
  id?: string;
  name?: string;
  abbreviation?: string | null;
  description?: string | null;
  _type?: string;
}

/** A node of custom data: a group or sub-group (with `children`) or a field (with `value`). */
export interface YesplanCustomDataNode {
  name?: string;
  keyword?: string;
  type?: string;
  value?: unknown;
  children?: YesplanCustomDataNode[];
}

/** `GET /api/event/{id}/customdata?keywords=...`. */
export interface YesplanCustomData {
  groups?: YesplanCustomDataNode[];
}
