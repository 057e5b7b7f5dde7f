//! The words the demo seed draws names from: currencies, categories,
//! product words, people's names, cities and store words.

use crate::domain::Currency;

pub(super) const CURRENCIES: [Currency; 2] = [Currency::USD, Currency::EUR];

pub(super) const CATEGORIES: &[(&str, &[&str])] = &[
    ("Electronics", &["Phones", "Laptops", "Audio", "Cameras"]),
    ("Home & Kitchen", &["Cookware", "Furniture", "Lighting", "Storage"]),
    ("Fashion", &["Women", "Men", "Shoes", "Accessories"]),
    ("Beauty", &["Skincare", "Makeup", "Fragrance"]),
    ("Sports & Outdoors", &["Cycling", "Camping", "Fitness", "Running"]),
    ("Toys & Games", &["Board Games", "Puzzles", "Outdoor Toys"]),
    ("Books & Media", &["Fiction", "Non-fiction", "Comics", "Vinyl"]),
    ("Garden", &["Tools", "Plants", "Outdoor Furniture"]),
    ("Pet Supplies", &["Dogs", "Cats", "Aquarium"]),
];

pub(super) const ADJECTIVES: &[&str] = &[
    "Classic",
    "Compact",
    "Deluxe",
    "Eco",
    "Essential",
    "Everyday",
    "Heritage",
    "Lightweight",
    "Modern",
    "Nordic",
    "Organic",
    "Portable",
    "Premium",
    "Pro",
    "Rugged",
    "Smart",
    "Studio",
    "Urban",
    "Vintage",
    "Wireless",
];
pub(super) const NOUNS: &[&str] = &[
    "Backpack",
    "Blender",
    "Bottle",
    "Candle",
    "Chair",
    "Charger",
    "Desk Lamp",
    "Headphones",
    "Jacket",
    "Kettle",
    "Knife Set",
    "Lantern",
    "Mug",
    "Notebook",
    "Pan",
    "Planter",
    "Puzzle",
    "Rug",
    "Scarf",
    "Sneakers",
    "Speaker",
    "Tent",
    "Throw",
    "Watch",
    "Yoga Mat",
];
/// Shelf prices in minor units, cheap ones more common.
pub(super) const PRICE_POINTS: &[i64] = &[
    499, 799, 999, 999, 1299, 1499, 1499, 1999, 1999, 2499, 2999, 2999, 3499, 3999, 4999, 5999, 7999, 9999, 12999,
    19999, 29999,
];
pub(super) const SIZES: &[&str] = &["S", "M", "L", "XL"];
pub(super) const COLOURS: &[&str] = &["Black", "White", "Blue", "Green", "Sand", "Red"];
pub(super) const FIRST: &[&str] = &[
    "Ada", "Ben", "Chloé", "Dev", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nora",
    "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Ugo", "Vera", "Wen", "Yara", "Zoe",
];
pub(super) const LAST: &[&str] = &[
    "Adeyemi", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hughes", "Ito", "Jansen", "Kowalski",
    "Larsen", "Müller", "Novak", "O'Brien", "Patel", "Rossi", "Silva", "Tanaka", "Usman", "Varga", "Walsh", "Yilmaz",
    "Zhou",
];
pub(super) const CITIES: &[(&str, &str, &str)] = &[
    ("New York", "NY", "US"),
    ("Austin", "TX", "US"),
    ("Seattle", "WA", "US"),
    ("Chicago", "IL", "US"),
    ("Denver", "CO", "US"),
    ("Berlin", "BE", "DE"),
    ("Paris", "IDF", "FR"),
    ("Madrid", "MD", "ES"),
    ("Amsterdam", "NH", "NL"),
    ("Milan", "MI", "IT"),
];
pub(super) const STORE_WORDS: &[&str] = &[
    "Atlas", "Birch", "Cobalt", "Drift", "Ember", "Fable", "Grove", "Harbor", "Indigo", "Juniper", "Kin", "Lumen",
    "Maple", "North", "Oak", "Pine", "Quarry", "River", "Sol", "Tide", "Umber", "Vale", "Willow", "Zephyr",
];
