//! The deterministic demo company: users of every role, two warehouses with locations, suppliers with
//! certificates, 1,200 products with Chinese names and valid EAN-13 barcodes, and customers. The same seed always
//! gives the same company, so screenshots, tests and benchmarks are repeatable. Later modules add their documents.

use crate::Shopdesk;
use crate::audit::{self, Action};
use crate::auth::{self, Actor, AuthError, Permission, Role};
use crate::barcode::Barcode;
use crate::entities::{
    customers, locations, products, supplier_certificates, suppliers, users, warehouses,
};
use crate::error::ApiError;
use crate::masterdata::customers::encode_tags;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const DEFAULT_SEED: u64 = 20_261_122;
/// The password of every demo user (they are for trying the app, not for production).
pub const DEMO_PASSWORD: &str = "demo1234";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DemoSummary {
    #[ts(type = "number")]
    pub products: u64,
    #[ts(type = "number")]
    pub suppliers: u64,
    #[ts(type = "number")]
    pub warehouses: u64,
    #[ts(type = "number")]
    pub locations: u64,
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub users: u64,
    /// The password of the demo users (`caigou`, `cangku`, ...).
    pub user_password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(
        "the database already holds products: the demo company is only loaded into an empty database"
    )]
    AlreadyLoaded,
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

impl From<DemoError> for ApiError {
    fn from(e: DemoError) -> Self {
        match e {
            DemoError::Auth(a) => a.into(),
            DemoError::AlreadyLoaded => ApiError::new("demo.already_loaded", e.to_string()),
            DemoError::Db(d) => d.into(),
        }
    }
}

/// SplitMix64: tiny, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

struct Category {
    code: &'static str,
    name: &'static str,
    items: &'static [&'static str],
    specs: &'static [&'static str],
    unit: &'static str,
    cost_range: (i64, i64),
}

const CATEGORIES: &[Category] = &[
    Category {
        code: "YL",
        name: "饮料",
        items: &[
            "天然矿泉水",
            "无糖绿茶",
            "乌龙茶",
            "鲜榨橙汁",
            "苏打水",
            "椰子水",
            "冷萃咖啡",
            "酸梅汤",
        ],
        specs: &[
            "330ml×24瓶",
            "500ml×12瓶",
            "550ml×24瓶",
            "1.5L×6瓶",
            "250ml×16盒",
        ],
        unit: "箱",
        cost_range: (1_500, 9_000),
    },
    Category {
        code: "LS",
        name: "休闲零食",
        items: &[
            "原味薯片",
            "每日坚果",
            "手撕牛肉干",
            "海苔脆",
            "苏打饼干",
            "黑巧克力",
            "芒果干",
            "五香瓜子",
        ],
        specs: &["70g", "150g", "250g×2袋", "30包/盒", "500g"],
        unit: "袋",
        cost_range: (300, 6_000),
    },
    Category {
        code: "LY",
        name: "粮油调味",
        items: &[
            "东北大米",
            "高筋面粉",
            "压榨花生油",
            "菜籽油",
            "鸡蛋挂面",
            "黄小米",
            "生抽酱油",
            "陈醋",
        ],
        specs: &["5kg", "10kg", "1.8L", "5L", "1kg", "500ml"],
        unit: "袋",
        cost_range: (500, 12_000),
    },
    Category {
        code: "RH",
        name: "日化清洁",
        items: &[
            "薰衣草洗衣液",
            "柠檬洗洁精",
            "去屑洗发水",
            "沐浴露",
            "美白牙膏",
            "抽纸",
            "厨房湿巾",
        ],
        specs: &[
            "2kg",
            "1.5kg",
            "500ml",
            "750ml",
            "120g×3支",
            "3层×100抽×24包",
        ],
        unit: "瓶",
        cost_range: (500, 8_000),
    },
    Category {
        code: "JJ",
        name: "家居用品",
        items: &[
            "收纳箱",
            "防滑衣架",
            "纯棉毛巾",
            "居家拖鞋",
            "不锈钢保温杯",
            "陶瓷餐具套装",
            "懒人抹布",
        ],
        specs: &["大号", "中号", "10只装", "2条装", "500ml", "16件套"],
        unit: "件",
        cost_range: (800, 15_000),
    },
    Category {
        code: "SM",
        name: "数码配件",
        items: &[
            "Type-C数据线",
            "氮化镓充电器",
            "蓝牙耳机",
            "磁吸手机壳",
            "移动电源",
            "无线鼠标",
            "USB集线器",
        ],
        specs: &["1m", "2m", "65W", "20000mAh", "黑色", "白色"],
        unit: "个",
        cost_range: (800, 20_000),
    },
    Category {
        code: "MY",
        name: "母婴用品",
        items: &[
            "婴儿纸尿裤",
            "婴儿湿巾",
            "宽口径奶瓶",
            "婴儿洗衣液",
            "儿童牙刷",
        ],
        specs: &[
            "S码 84片",
            "M码 64片",
            "L码 54片",
            "80抽×6包",
            "240ml",
            "1L",
        ],
        unit: "包",
        cost_range: (1_000, 15_000),
    },
    Category {
        code: "FS",
        name: "服饰鞋袜",
        items: &["纯棉T恤", "运动袜", "棒球帽", "羊毛围巾", "防晒袖套"],
        specs: &["S", "M", "L", "XL", "5双装", "均码"],
        unit: "件",
        cost_range: (500, 9_000),
    },
];

const BRANDS: &[&str] = &[
    "山泉记",
    "青禾",
    "云朵",
    "禾丰",
    "蓝鲸",
    "小熊优品",
    "拾光",
    "优简",
    "果园里",
    "北纬",
    "森活",
    "橙意",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "子涵", "雨桐",
];
const PLACES: &[(&str, &str, &str)] = &[
    ("上海", "上海市", "浦东新区张江路"),
    ("北京", "北京市", "朝阳区建国路"),
    ("广东", "广州市", "天河区体育西路"),
    ("广东", "深圳市", "南山区科技园路"),
    ("浙江", "杭州市", "西湖区文三路"),
    ("江苏", "南京市", "鼓楼区中山北路"),
    ("四川", "成都市", "武侯区人民南路"),
    ("湖北", "武汉市", "洪山区珞喻路"),
    ("福建", "厦门市", "思明区湖滨南路"),
    ("山东", "青岛市", "市南区香港中路"),
];
const SUPPLIER_CITIES: &[&str] = &[
    "义乌市",
    "广州市",
    "深圳市",
    "杭州市",
    "苏州市",
    "东莞市",
    "宁波市",
    "泉州市",
    "佛山市",
    "临沂市",
];
const SUPPLIER_WORDS: &[&str] = &[
    "宏达", "鑫源", "华盛", "永盛", "恒信", "金利", "瑞丰", "嘉禾", "新锐", "顺发", "东方", "利民",
];
const SUPPLIER_TRADES: &[&str] = &[
    "食品",
    "日用品",
    "电子",
    "贸易",
    "纺织",
    "包装",
    "母婴用品",
    "家居",
];

pub const DEMO_USERS: &[(&str, &str, Role)] = &[
    ("caigou", "采购 小陈", Role::Purchasing),
    ("cangku", "仓库 老王", Role::Warehouse),
    ("yunying", "运营 小李", Role::Operations),
    ("kefu", "客服 小周", Role::CustomerService),
    ("caiwu", "财务 张会计", Role::Finance),
    ("zhuguan", "主管 刘经理", Role::Manager),
];

const PRODUCTS: usize = 1_200;
const SUPPLIERS: usize = 40;
const CUSTOMERS: usize = 300;

/// Loads the demo company into an empty database, in one transaction.
pub async fn load(desk: &Shopdesk, actor: &Actor, seed: u64) -> Result<DemoSummary, DemoError> {
    actor.require(Permission::LoadDemo)?;
    let now = desk.now();
    let today = desk.biz_date(now);
    let mut rng = Rng(seed);
    // Hash outside the transaction: it is the slow part and needs no lock.
    let hash = auth::hash_password(DEMO_PASSWORD)?;
    let txn = desk.write_txn().await?;
    if products::Entity::find().count(&txn).await? > 0 {
        return Err(DemoError::AlreadyLoaded);
    }
    let currency = desk.company().currency;

    let mut user_count = 0;
    for (name, display, role) in DEMO_USERS {
        if users::Entity::find()
            .filter(users::Column::Username.eq(*name))
            .count(&txn)
            .await?
            > 0
        {
            continue;
        }
        users::ActiveModel {
            username: Set((*name).into()),
            display_name: Set((*display).into()),
            password_hash: Set(hash.clone()),
            role: Set(role.as_str().into()),
            active: Set(true),
            language: Set("zh-CN".into()),
            created_at: Set(now),
            last_login_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        user_count += 1;
    }

    // Warehouses and locations.
    let mut location_count = 0u64;
    for (code, name, address, manager) in [
        (
            "WH-SH",
            "上海主仓",
            "上海市青浦区华新镇嘉松中路 1888 号",
            "王建国",
        ),
        (
            "WH-GZ",
            "广州分仓",
            "广州市白云区太和镇广从五路 66 号",
            "陈志强",
        ),
    ] {
        let w = warehouses::ActiveModel {
            code: Set(code.into()),
            name: Set(name.into()),
            address: Set(address.into()),
            manager: Set(manager.into()),
            status: Set("active".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut locs = Vec::new();
        for (c, kind) in [
            ("RECV-01", "receiving"),
            ("SHIP-01", "shipping"),
            ("DEFECT-01", "defect"),
        ] {
            locs.push((c.to_string(), "—".to_string(), kind));
        }
        for zone in ["A", "B", "C"] {
            for row in 1..=10 {
                for level in 1..=4 {
                    locs.push((
                        format!("{zone}-{row:02}-{level}"),
                        format!("{zone}区"),
                        "storage",
                    ));
                }
            }
        }
        location_count += locs.len() as u64;
        insert_chunked(
            &txn,
            locs.into_iter()
                .map(|(c, z, k)| locations::ActiveModel {
                    warehouse_id: Set(w.id),
                    code: Set(c),
                    zone: Set(z),
                    kind: Set(k.into()),
                    status: Set("active".into()),
                    ..Default::default()
                })
                .collect(),
            locations::Entity::insert_many,
        )
        .await?;
    }

    // Suppliers with certificates.
    for i in 0..SUPPLIERS {
        let city = SUPPLIER_CITIES[i % SUPPLIER_CITIES.len()];
        let trade = *rng.pick(SUPPLIER_TRADES);
        let name = format!(
            "{city}{}{trade}有限公司",
            SUPPLIER_WORDS[(i / SUPPLIER_CITIES.len() + i) % SUPPLIER_WORDS.len()]
        );
        let qualification = match rng.below(10) {
            0..=6 => "approved",
            7 | 8 => "candidate",
            _ => "suspended",
        };
        let (terms, days) = *rng.pick(&[
            ("月结30天", 30),
            ("月结60天", 60),
            ("货到付款", 0),
            ("预付50%", 0),
            ("票到45天", 45),
        ]);
        let s = suppliers::ActiveModel {
            code: Set(format!("SUP-{:03}", i + 1)),
            name: Set(name),
            contact_name: Set(format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))),
            phone: Set(format!(
                "1{}{:09}",
                rng.pick(&[3, 5, 8, 9]),
                rng.below(1_000_000_000)
            )),
            email: Set(format!("sales{:03}@supplier.example.cn", i + 1)),
            address: Set(format!("{city}工业园区{}号", rng.range(1, 300))),
            payment_terms: Set(terms.into()),
            payment_days: Set(days),
            qualification: Set(qualification.into()),
            status: Set("active".into()),
            notes: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut certs = vec![supplier_certificates::ActiveModel {
            supplier_id: Set(s.id),
            kind: Set("营业执照".into()),
            number: Set(format!("91{:016}", rng.next() % 10_000_000_000_000_000)),
            expires_on: Set(None),
            ..Default::default()
        }];
        if trade == "食品" || trade == "母婴用品" || rng.below(3) == 0 {
            certs.push(supplier_certificates::ActiveModel {
                supplier_id: Set(s.id),
                kind: Set(if trade == "食品" {
                    "食品经营许可证"
                } else {
                    "ISO 9001 质量管理体系认证"
                }
                .into()),
                number: Set(format!("JY{:014}", rng.next() % 100_000_000_000_000)),
                expires_on: Set(Some(today + chrono::Duration::days(rng.range(-20, 540)))),
                ..Default::default()
            });
        }
        supplier_certificates::Entity::insert_many(certs)
            .exec(&txn)
            .await?;
    }

    // Products.
    let rows = product_rows(&mut rng, 0, PRODUCTS, &currency, now);
    insert_chunked(&txn, rows, products::Entity::insert_many).await?;

    // Customers.
    let mut rows = Vec::with_capacity(CUSTOMERS);
    for i in 0..CUSTOMERS {
        let (province, city, street) = *rng.pick(PLACES);
        let mut tags = Vec::new();
        match rng.below(10) {
            0 => tags.push("VIP".to_string()),
            1 => tags.push("批发".to_string()),
            2 | 3 => tags.push("新客".to_string()),
            _ => {}
        }
        if rng.below(20) == 0 {
            tags.push("企业采购".to_string());
        }
        rows.push(customers::ActiveModel {
            code: Set(format!("C{:06}", i + 1)),
            name: Set(format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))),
            phone: Set(format!(
                "1{}{:09}",
                rng.pick(&[3, 5, 7, 8, 9]),
                rng.below(1_000_000_000)
            )),
            email: Set(String::new()),
            province: Set(province.into()),
            city: Set(city.into()),
            address: Set(format!(
                "{street}{}号{}室",
                rng.range(1, 999),
                rng.range(101, 2_808)
            )),
            tags: Set(encode_tags(&tags)),
            status: Set("active".into()),
            notes: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    insert_chunked(&txn, rows, customers::Entity::insert_many).await?;

    let summary = DemoSummary {
        products: PRODUCTS as u64,
        suppliers: SUPPLIERS as u64,
        warehouses: 2,
        locations: location_count,
        customers: CUSTOMERS as u64,
        users: user_count,
        user_password: DEMO_PASSWORD.into(),
    };
    audit::record(
        desk,
        &txn,
        actor,
        Action::LoadDemo,
        "database",
        None,
        &format!("seed {seed}"),
        None::<&()>,
        Some(&summary),
    )
    .await?;
    txn.commit().await?;
    Ok(summary)
}

/// `count` demo products numbered from `start` (SKU `YL-00001` style, unique EAN-13 barcodes).
fn product_rows(
    rng: &mut Rng,
    start: usize,
    count: usize,
    currency: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<products::ActiveModel> {
    let mut rows = Vec::with_capacity(count);
    for i in start..start + count {
        let cat = &CATEGORIES[i % CATEGORIES.len()];
        let item = *rng.pick(cat.items);
        let brand = *rng.pick(BRANDS);
        let spec = *rng.pick(cat.specs);
        // Costs in whole fen (×100 ten-thousandths), prices marked up 20–90 % and rounded to 0.10 yuan.
        let cost_fen = rng.range(cat.cost_range.0, cat.cost_range.1);
        let markup = rng.range(120, 190);
        let price_jiao = (cost_fen * markup + 500) / 1_000; // half away from zero for positive values
        let body = format!("69{:010}", 2_000_000_000 + (i as u64) * 37 + rng.below(7));
        let barcode = Barcode::ean13_from_body(&body).map(|b| b.as_str().to_string());
        rows.push(products::ActiveModel {
            sku: Set(format!("{}-{:05}", cat.code, i + 1)),
            barcode: Set(barcode),
            name: Set(format!("{brand} {item}")),
            spec: Set(spec.into()),
            unit: Set(cat.unit.into()),
            category: Set(cat.name.into()),
            brand: Set(brand.into()),
            cost: Set(cost_fen * 100),
            price: Set(price_jiao * 1_000),
            currency: Set(currency.to_string()),
            safety_stock: Set(rng.range(1, 20) * 10),
            status: Set("active".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    rows
}

/// Adds `count` more synthetic products (numbered after the existing ones), for benchmarks at scale.
/// One transaction; returns how many rows the products table holds afterwards.
pub async fn bulk_products(
    desk: &Shopdesk,
    actor: &Actor,
    count: usize,
    seed: u64,
) -> Result<u64, DemoError> {
    actor.require(Permission::LoadDemo)?;
    let txn = desk.write_txn().await?;
    let start = products::Entity::find().count(&txn).await? as usize + 10_000_000;
    let mut rng = Rng(seed);
    let currency = desk.company().currency;
    let now = desk.now();
    let mut done = 0;
    while done < count {
        let n = (count - done).min(10_000);
        let rows = product_rows(&mut rng, start + done, n, &currency, now);
        insert_chunked(&txn, rows, products::Entity::insert_many).await?;
        done += n;
    }
    let total = products::Entity::find().count(&txn).await?;
    txn.commit().await?;
    Ok(total)
}

async fn insert_chunked<A, F>(
    conn: &impl ConnectionTrait,
    rows: Vec<A>,
    make: F,
) -> Result<(), sea_orm::DbErr>
where
    A: ActiveModelTrait + Send,
    F: Fn(Vec<A>) -> sea_orm::InsertMany<A>,
{
    let mut rows = rows;
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(200));
        make(rows).exec(conn).await?;
        rows = rest;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic() {
        let mut a = Rng(7);
        let mut b = Rng(7);
        let xs: Vec<u64> = (0..5).map(|_| a.next()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng(8).next(), xs[0]);
    }
}
