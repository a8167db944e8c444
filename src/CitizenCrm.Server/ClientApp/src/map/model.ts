// The shapes of the server's answers this page reads (field names as the server writes them).

export interface AttributeValue {
  key: string;
  name: string;
}

export interface ServiceAttribute {
  code: string;
  order: number;
  datatype: "string" | "number" | "datetime" | "text" | "singlevaluelist" | "multivaluelist";
  required: boolean;
  description: string;
  values: AttributeValue[];
}

export interface CatalogueService {
  code: string;
  name: string;
  description: string;
  incident: boolean;
  attributes: ServiceAttribute[];
}

/** One feature of GET /api/public/map/incidents (GeoJSON, [longitude, latitude]). */
export interface IncidentProperties {
  id: string;
  service_code: string;
  service_name: string;
  status: "open" | "closed";
  requested_datetime: string;
  updated_datetime: string | null;
  address_string: string | null;
  url: string;
  thumbnail_url: string | null;
}

export interface IncidentFeature {
  type: "Feature";
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: IncidentProperties;
}

export interface IncidentCollection {
  type: "FeatureCollection";
  features: IncidentFeature[];
}

export interface ReportReceipt {
  id: string;
  registrationNumber: string;
  registeredOn: string;
  dueOn: string | null;
  url: string;
  photos: number;
  photosAwaitingReview: number;
  public: boolean;
}

export interface PublicReport {
  id: string;
  registrationNumber: string;
  serviceCode: string;
  serviceName: string;
  status: "open" | "closed";
  statusText: string;
  registeredOn: string;
  dueOn: string | null;
  addressString: string | null;
  lat: number | null;
  long: number | null;
  updates: { updatedAt: string; status: string; description: string }[];
  photos: { url: string; thumbnailUrl: string; width: number; height: number }[];
  photosAwaitingReview: number;
  url: string;
}
