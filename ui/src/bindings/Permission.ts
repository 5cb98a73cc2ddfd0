// Hand-written from docs/ui-contract.md until ts-rs generates this file. Do not edit once generated.
export type Permission = "view_master_data" | "export_data" | "edit_products" | "edit_suppliers" | "edit_warehouses" | "edit_customers" | "view_audit" | "manage_users" | "edit_settings" | "backup" | "load_demo";
