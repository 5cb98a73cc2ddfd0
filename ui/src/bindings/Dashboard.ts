// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
import type { AuditEntry } from "./AuditEntry";
import type { CategoryCount } from "./CategoryCount";
import type { ExpiringCertificate } from "./ExpiringCertificate";

export type Dashboard = { products: number; active_products: number; archived_products: number; suppliers: number; approved_suppliers: number; warehouses: number; locations: number; customers: number; vip_customers: number; expiring_certificates: Array<ExpiringCertificate>; products_by_category: Array<CategoryCount>; recent_changes: Array<AuditEntry> };
