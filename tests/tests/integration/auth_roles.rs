use shopdesk_core::auth::{self, NewUser, Permission, Role, UserUpdate};
use shopdesk_core::listing::ListQuery;
use shopdesk_core::masterdata::{customers, products, suppliers, warehouses};
use shopdesk_core::{ApiError, audit, backup, demo, settings};
use shopdesk_tests::{Backend, TestDb, db_test};

db_test!(first_start_setup_and_login, |db: TestDb| async move {
    assert!(auth::needs_setup(&db.desk).await.unwrap());
    let weak = auth::setup_admin(
        &db.desk,
        NewUser {
            username: "boss".into(),
            display_name: "".into(),
            password: "short".into(),
            role: Role::Admin,
            language: "zh-CN".into(),
        },
    )
    .await
    .unwrap_err();
    let e: ApiError = weak.into();
    assert_eq!(e.code, "validation");
    assert_eq!(e.details[0].field, "password");
    assert_eq!(e.details[0].code, "too_short");

    let admin = db.admin().await;
    assert_eq!(admin.role, Role::Admin);
    assert!(!auth::needs_setup(&db.desk).await.unwrap());
    // A second "first administrator" is refused.
    let again = auth::setup_admin(
        &db.desk,
        NewUser {
            username: "eve".into(),
            display_name: "".into(),
            password: "password1".into(),
            role: Role::Admin,
            language: "en".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(ApiError::from(again).code, "auth.already_set_up");

    let ok = auth::login(&db.desk, "admin", "admin-secret")
        .await
        .unwrap();
    assert_eq!(ok.username, "admin");
    let bad = auth::login(&db.desk, "admin", "wrong-pass")
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(bad).code, "auth.invalid_credentials");
    let nobody = auth::login(&db.desk, "nobody", "admin-secret")
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(nobody).code, "auth.invalid_credentials");

    // Disabled users cannot log in; the last administrator cannot be demoted.
    let clerk = db.user(&admin, "clerk", Role::Purchasing).await;
    auth::update_user(
        &db.desk,
        &admin,
        clerk.user_id,
        UserUpdate {
            display_name: "clerk".into(),
            role: Role::Purchasing,
            active: false,
            language: "en".into(),
            password: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        ApiError::from(
            auth::login(&db.desk, "clerk", "password1")
                .await
                .unwrap_err()
        )
        .code,
        "auth.inactive"
    );
    let demote = auth::update_user(
        &db.desk,
        &admin,
        admin.user_id,
        UserUpdate {
            display_name: "a".into(),
            role: Role::Manager,
            active: true,
            language: "en".into(),
            password: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(ApiError::from(demote).details[0].code, "last_admin");
    db.close().await;
});

/// Tries one guarded operation as `actor`; true when it was allowed.
async fn attempt(db: &TestDb, actor: &auth::Actor, p: Permission, n: usize) -> bool {
    let desk = &db.desk;
    let q = ListQuery::default();
    let r: Result<(), ApiError> = match p {
        Permission::ViewMasterData => products::list(desk, actor, &q)
            .await
            .map(|_| ())
            .map_err(Into::into),
        Permission::ExportData => shopdesk_core::export::export_list(
            desk,
            actor,
            shopdesk_core::export::ListKind::Customers,
            &q,
            "en",
            &db.dir.path().join(format!("x{n}.xlsx")),
        )
        .await
        .map(|_| ())
        .map_err(Into::into),
        Permission::EditProducts => products::create(
            desk,
            actor,
            &products::ProductInput {
                sku: format!("R-{n}"),
                name: "n".into(),
                unit: "个".into(),
                ..Default::default()
            },
        )
        .await
        .map(|_| ())
        .map_err(Into::into),
        Permission::EditSuppliers => suppliers::create(
            desk,
            actor,
            &suppliers::SupplierInput {
                code: format!("S-{n}"),
                name: "s".into(),
                ..Default::default()
            },
        )
        .await
        .map(|_| ())
        .map_err(Into::into),
        Permission::EditWarehouses => warehouses::create(
            desk,
            actor,
            &warehouses::WarehouseInput {
                code: format!("W-{n}"),
                name: "w".into(),
                ..Default::default()
            },
        )
        .await
        .map(|_| ())
        .map_err(Into::into),
        Permission::EditCustomers => customers::create(
            desk,
            actor,
            &customers::CustomerInput {
                code: format!("C-{n}"),
                name: "c".into(),
                ..Default::default()
            },
        )
        .await
        .map(|_| ())
        .map_err(Into::into),
        Permission::ViewAudit => audit::list(desk, actor, Default::default())
            .await
            .map(|_| ())
            .map_err(Into::into),
        Permission::ManageUsers => auth::list_users(desk, actor)
            .await
            .map(|_| ())
            .map_err(Into::into),
        Permission::EditSettings => settings::update(desk, actor, desk.company())
            .await
            .map(|_| ())
            .map_err(Into::into),
        Permission::Backup => match db.backend {
            Backend::Sqlite => backup::backup_now(desk, actor)
                .await
                .map(|_| ())
                .map_err(Into::into),
            Backend::Postgres => backup::list(desk, actor)
                .await
                .map(|_| ())
                .map_err(Into::into),
        },
        Permission::PostStock => {
            let (product, location) = stock_target(db).await;
            shopdesk_core::inventory::adjust(desk, actor, product, location, 1, None, "matrix")
                .await
                .map(|_| ())
                .map_err(Into::into)
        }
        Permission::ReserveStock => {
            let (product, location) = stock_target(db).await;
            match shopdesk_core::inventory::reserve(desk, actor, product, location, 1, "MATRIX")
                .await
            {
                Ok(_) => Ok(()),
                // Allowed, and refused only because no stock is left: permission passed.
                Err(shopdesk_core::inventory::InventoryError::InsufficientStock { .. }) => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
        // Allowed when the core gets past the permission to the (deliberately invalid) input.
        Permission::EditPurchaseOrders => {
            match shopdesk_core::procurement::orders::create(desk, actor, &Default::default()).await
            {
                Err(e) => match ApiError::from(e) {
                    a if a.code == "validation" => Ok(()),
                    a => Err(a),
                },
                Ok(_) => Ok(()),
            }
        }
        Permission::ApprovePurchaseOrders => {
            use shopdesk_core::procurement::orders::{self, PoAction};
            match orders::transition(desk, actor, -1, PoAction::Approve).await {
                Err(e) => match ApiError::from(e) {
                    a if a.code == "procurement.not_found" => Ok(()),
                    a => Err(a),
                },
                Ok(_) => Ok(()),
            }
        }
        Permission::ViewPayables => shopdesk_core::procurement::payables::check(desk, actor)
            .await
            .map(|_| ())
            .map_err(Into::into),
        Permission::EditPayables => {
            use shopdesk_core::procurement::payables;
            match payables::record_payment(desk, actor, &Default::default()).await {
                Err(e) => match ApiError::from(e) {
                    a if a.code == "procurement.no_such_supplier" => Ok(()),
                    a => Err(a),
                },
                Ok(_) => Ok(()),
            }
        }
        Permission::ApproveInvoiceVariances => {
            use shopdesk_core::procurement::payables::{self, InvoiceDecision};
            match payables::decide_invoice(desk, actor, -1, InvoiceDecision::Approve, "matrix")
                .await
            {
                Err(e) => match ApiError::from(e) {
                    a if a.code == "procurement.not_found" => Ok(()),
                    a => Err(a),
                },
                Ok(_) => Ok(()),
            }
        }
        Permission::ApproveStockCounts => {
            use shopdesk_core::inventory::counts::{self, CountDecision};
            match counts::decide_count(desk, actor, "NO-SUCH-COUNT", CountDecision::Approve).await {
                Err(e) => match ApiError::from(e) {
                    a if a.code == "inventory.not_found" => Ok(()),
                    a => Err(a),
                },
                Ok(_) => Ok(()),
            }
        }
        // Allowed when the core gets past the permission to the date check (today cannot be closed).
        Permission::CloseStockPeriods => {
            let today = desk.biz_date(desk.now());
            match shopdesk_core::inventory::periods::close(desk, actor, today, "matrix").await {
                Err(e) => match ApiError::from(e) {
                    a if a.code == "validation" => Ok(()),
                    a => Err(a),
                },
                Ok(_) => Ok(()),
            }
        }
        Permission::ViewOrders => shopdesk_core::sales::list(desk, actor, &Default::default())
            .await
            .map(|_| ())
            .map_err(Into::into),
        // Allowed when the core gets past the permission to looking up the product.
        Permission::EditOrders => {
            match shopdesk_core::sales::skus::map_sku(
                desk,
                actor,
                "tmall",
                "NO-CODE",
                "NO-SUCH-SKU",
            )
            .await
            {
                Err(e) => match ApiError::from(e) {
                    a if a.code == "sales.not_found" => Ok(()),
                    a => Err(a),
                },
                Ok(_) => Ok(()),
            }
        }
        Permission::LoadDemo => match demo::load(desk, actor, 1).await {
            Ok(_) => Ok(()),
            // Allowed, but the demo only loads into an empty database: permission passed.
            Err(demo::DemoError::AlreadyLoaded) => Ok(()),
            Err(e) => Err(e.into()),
        },
    };
    match r {
        Ok(()) => true,
        Err(e) if e.code == "auth.forbidden" => false,
        // Postgres backups are refused for a different reason, after the permission check passed.
        Err(e) if e.code == "backup.not_supported" => true,
        Err(e) => panic!("{p:?} as {:?} failed for another reason: {e}", actor.role),
    }
}

/// The product `SEED` and a location of warehouse `STOCK`, created by the matrix test.
async fn stock_target(db: &TestDb) -> (i64, i64) {
    use shopdesk_core::entities::{locations, products as p};
    use shopdesk_core::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let product = p::Entity::find()
        .filter(p::Column::Sku.eq("SEED"))
        .one(db.desk.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    let location = locations::Entity::find()
        .filter(locations::Column::Code.eq("STOCK-1"))
        .one(db.desk.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    (product, location)
}

db_test!(
    role_matrix_is_enforced_in_the_core,
    |db: TestDb| async move {
        let admin = db.admin().await;
        // One product exists so that the demo's "empty database" rule never hides a permission decision.
        products::create(
            &db.desk,
            &admin,
            &products::ProductInput {
                sku: "SEED".into(),
                name: "n".into(),
                unit: "个".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let w = warehouses::create(
            &db.desk,
            &admin,
            &warehouses::WarehouseInput {
                code: "STOCK".into(),
                name: "w".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        warehouses::create_location(
            &db.desk,
            &admin,
            &warehouses::LocationInput {
                warehouse_id: w.id,
                code: "STOCK-1".into(),
                zone: String::new(),
                kind: "storage".into(),
            },
        )
        .await
        .unwrap();
        let mut n = 0;
        for role in Role::ALL {
            let actor = if role == Role::Admin {
                admin.clone()
            } else {
                db.user(&admin, role.as_str(), role).await
            };
            for p in Permission::ALL {
                n += 1;
                let allowed = attempt(&db, &actor, p, n).await;
                assert_eq!(
                    allowed,
                    role.allows(p),
                    "{role:?} / {p:?}: the core must decide as the matrix says"
                );
            }
        }
        // Spot checks that the matrix itself is the intended one.
        assert!(!Role::Warehouse.allows(Permission::EditProducts));
        assert!(!Role::CustomerService.allows(Permission::ManageUsers));
        assert!(!Role::Finance.allows(Permission::EditCustomers));
        db.close().await;
    }
);
