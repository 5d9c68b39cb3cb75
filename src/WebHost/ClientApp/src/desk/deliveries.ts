// How the desk colours a delivery's status (a place's channel log and a person's own list alike).
export type DeliveryTagType = "success" | "warning" | "danger" | "info";

const tagTypes: Record<string, DeliveryTagType> = { delivered: "success", pending: "warning", gaveUp: "danger", rejected: "danger", targetGone: "info" };

export const deliveryTagType = (status: string): DeliveryTagType => tagTypes[status] ?? "info";
