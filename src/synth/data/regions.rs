//! Province-level divisions and a sample of real county-level districts with their GB/T 2260
//! administrative division codes (the codes the Ministry of Civil Affairs publishes, as of 2023).

/// A province-level division: 2-digit code, name, and population in units of 100,000 (Seventh
/// National Population Census, 2020), used to weight where records live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Province {
    /// First two digits of every region code in the province.
    pub code: u8,
    /// Official name, e.g. `广东省`.
    pub name: &'static str,
    /// Population, 100,000s.
    pub population: u32,
}

/// A county-level division (district, county-level city).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct District {
    /// 6-digit GB/T 2260 code; its first 2 digits name the province, the first 4 the city.
    pub code: u32,
    /// Prefecture-level city (for municipalities: the municipality itself, e.g. `北京市`).
    pub city: &'static str,
    /// District name, e.g. `海淀区`.
    pub name: &'static str,
}

/// The 31 mainland province-level divisions (Hong Kong, Macao and Taiwan have no resident IDs of
/// this form in the data sets we simulate).
#[rustfmt::skip]
pub const PROVINCES: &[Province] = &[
    Province { code: 11, name: "北京市", population: 219 },
    Province { code: 12, name: "天津市", population: 139 },
    Province { code: 13, name: "河北省", population: 746 },
    Province { code: 14, name: "山西省", population: 349 },
    Province { code: 15, name: "内蒙古自治区", population: 240 },
    Province { code: 21, name: "辽宁省", population: 426 },
    Province { code: 22, name: "吉林省", population: 241 },
    Province { code: 23, name: "黑龙江省", population: 319 },
    Province { code: 31, name: "上海市", population: 249 },
    Province { code: 32, name: "江苏省", population: 847 },
    Province { code: 33, name: "浙江省", population: 646 },
    Province { code: 34, name: "安徽省", population: 610 },
    Province { code: 35, name: "福建省", population: 415 },
    Province { code: 36, name: "江西省", population: 452 },
    Province { code: 37, name: "山东省", population: 1015 },
    Province { code: 41, name: "河南省", population: 994 },
    Province { code: 42, name: "湖北省", population: 578 },
    Province { code: 43, name: "湖南省", population: 664 },
    Province { code: 44, name: "广东省", population: 1260 },
    Province { code: 45, name: "广西壮族自治区", population: 501 },
    Province { code: 46, name: "海南省", population: 101 },
    Province { code: 50, name: "重庆市", population: 321 },
    Province { code: 51, name: "四川省", population: 837 },
    Province { code: 52, name: "贵州省", population: 386 },
    Province { code: 53, name: "云南省", population: 472 },
    Province { code: 54, name: "西藏自治区", population: 36 },
    Province { code: 61, name: "陕西省", population: 395 },
    Province { code: 62, name: "甘肃省", population: 250 },
    Province { code: 63, name: "青海省", population: 59 },
    Province { code: 64, name: "宁夏回族自治区", population: 72 },
    Province { code: 65, name: "新疆维吾尔自治区", population: 259 },
];

/// Province code of Tibet and Xinjiang, where most residents' names follow other patterns.
pub const TIBET: u8 = 54;
/// See [`TIBET`].
pub const XINJIANG: u8 = 65;

const fn d(code: u32, city: &'static str, name: &'static str) -> District {
    District { code, city, name }
}

/// Real county-level districts, sorted by code, at least two per province.
#[rustfmt::skip]
pub const DISTRICTS: &[District] = &[
    d(110101, "北京市", "东城区"), d(110102, "北京市", "西城区"), d(110105, "北京市", "朝阳区"),
    d(110106, "北京市", "丰台区"), d(110107, "北京市", "石景山区"), d(110108, "北京市", "海淀区"),
    d(110112, "北京市", "通州区"), d(110114, "北京市", "昌平区"), d(110115, "北京市", "大兴区"),
    d(120101, "天津市", "和平区"), d(120102, "天津市", "河东区"), d(120103, "天津市", "河西区"),
    d(120104, "天津市", "南开区"), d(120116, "天津市", "滨海新区"),
    d(130102, "石家庄市", "长安区"), d(130104, "石家庄市", "桥西区"), d(130108, "石家庄市", "裕华区"),
    d(130203, "唐山市", "路北区"), d(130403, "邯郸市", "丛台区"), d(130602, "保定市", "竞秀区"),
    d(140105, "太原市", "小店区"), d(140106, "太原市", "迎泽区"), d(140213, "大同市", "平城区"),
    d(150102, "呼和浩特市", "新城区"), d(150105, "呼和浩特市", "赛罕区"), d(150203, "包头市", "昆都仑区"),
    d(210102, "沈阳市", "和平区"), d(210103, "沈阳市", "沈河区"), d(210106, "沈阳市", "铁西区"),
    d(210202, "大连市", "中山区"), d(210204, "大连市", "沙河口区"),
    d(220102, "长春市", "南关区"), d(220104, "长春市", "朝阳区"), d(220204, "吉林市", "船营区"),
    d(230102, "哈尔滨市", "道里区"), d(230103, "哈尔滨市", "南岗区"), d(230110, "哈尔滨市", "香坊区"),
    d(230202, "齐齐哈尔市", "龙沙区"),
    d(310101, "上海市", "黄浦区"), d(310104, "上海市", "徐汇区"), d(310105, "上海市", "长宁区"),
    d(310106, "上海市", "静安区"), d(310107, "上海市", "普陀区"), d(310109, "上海市", "虹口区"),
    d(310110, "上海市", "杨浦区"), d(310112, "上海市", "闵行区"), d(310113, "上海市", "宝山区"),
    d(310115, "上海市", "浦东新区"),
    d(320102, "南京市", "玄武区"), d(320104, "南京市", "秦淮区"), d(320106, "南京市", "鼓楼区"),
    d(320115, "南京市", "江宁区"), d(320211, "无锡市", "滨湖区"), d(320213, "无锡市", "梁溪区"),
    d(320303, "徐州市", "云龙区"), d(320505, "苏州市", "虎丘区"), d(320506, "苏州市", "吴中区"),
    d(320508, "苏州市", "姑苏区"),
    d(330102, "杭州市", "上城区"), d(330105, "杭州市", "拱墅区"), d(330106, "杭州市", "西湖区"),
    d(330108, "杭州市", "滨江区"), d(330109, "杭州市", "萧山区"), d(330110, "杭州市", "余杭区"),
    d(330203, "宁波市", "海曙区"), d(330212, "宁波市", "鄞州区"), d(330302, "温州市", "鹿城区"),
    d(340102, "合肥市", "瑶海区"), d(340103, "合肥市", "庐阳区"), d(340104, "合肥市", "蜀山区"),
    d(340111, "合肥市", "包河区"), d(340202, "芜湖市", "镜湖区"),
    d(350102, "福州市", "鼓楼区"), d(350103, "福州市", "台江区"), d(350203, "厦门市", "思明区"),
    d(350206, "厦门市", "湖里区"), d(350502, "泉州市", "鲤城区"),
    d(360102, "南昌市", "东湖区"), d(360103, "南昌市", "西湖区"), d(360702, "赣州市", "章贡区"),
    d(370102, "济南市", "历下区"), d(370103, "济南市", "市中区"), d(370112, "济南市", "历城区"),
    d(370202, "青岛市", "市南区"), d(370203, "青岛市", "市北区"), d(370211, "青岛市", "黄岛区"),
    d(370212, "青岛市", "崂山区"), d(370602, "烟台市", "芝罘区"),
    d(410102, "郑州市", "中原区"), d(410103, "郑州市", "二七区"), d(410105, "郑州市", "金水区"),
    d(410303, "洛阳市", "西工区"), d(410311, "洛阳市", "洛龙区"),
    d(420102, "武汉市", "江岸区"), d(420103, "武汉市", "江汉区"), d(420106, "武汉市", "武昌区"),
    d(420111, "武汉市", "洪山区"), d(420502, "宜昌市", "西陵区"),
    d(430102, "长沙市", "芙蓉区"), d(430103, "长沙市", "天心区"), d(430104, "长沙市", "岳麓区"),
    d(430105, "长沙市", "开福区"), d(430211, "株洲市", "天元区"),
    d(440103, "广州市", "荔湾区"), d(440104, "广州市", "越秀区"), d(440105, "广州市", "海珠区"),
    d(440106, "广州市", "天河区"), d(440111, "广州市", "白云区"), d(440113, "广州市", "番禺区"),
    d(440303, "深圳市", "罗湖区"), d(440304, "深圳市", "福田区"), d(440305, "深圳市", "南山区"),
    d(440306, "深圳市", "宝安区"), d(440307, "深圳市", "龙岗区"), d(440402, "珠海市", "香洲区"),
    d(440511, "汕头市", "金平区"), d(440604, "佛山市", "禅城区"), d(440605, "佛山市", "南海区"),
    d(440606, "佛山市", "顺德区"),
    d(450102, "南宁市", "兴宁区"), d(450103, "南宁市", "青秀区"), d(450202, "柳州市", "城中区"),
    d(450302, "桂林市", "秀峰区"),
    d(460105, "海口市", "秀英区"), d(460106, "海口市", "龙华区"), d(460108, "海口市", "美兰区"),
    d(460203, "三亚市", "吉阳区"),
    d(500101, "重庆市", "万州区"), d(500103, "重庆市", "渝中区"), d(500105, "重庆市", "江北区"),
    d(500106, "重庆市", "沙坪坝区"), d(500107, "重庆市", "九龙坡区"), d(500108, "重庆市", "南岸区"),
    d(500112, "重庆市", "渝北区"),
    d(510104, "成都市", "锦江区"), d(510105, "成都市", "青羊区"), d(510106, "成都市", "金牛区"),
    d(510107, "成都市", "武侯区"), d(510108, "成都市", "成华区"), d(510302, "自贡市", "自流井区"),
    d(510703, "绵阳市", "涪城区"),
    d(520102, "贵阳市", "南明区"), d(520103, "贵阳市", "云岩区"), d(520302, "遵义市", "红花岗区"),
    d(530102, "昆明市", "五华区"), d(530103, "昆明市", "盘龙区"), d(530111, "昆明市", "官渡区"),
    d(532901, "大理白族自治州", "大理市"),
    d(540102, "拉萨市", "城关区"), d(540202, "日喀则市", "桑珠孜区"),
    d(610102, "西安市", "新城区"), d(610103, "西安市", "碑林区"), d(610104, "西安市", "莲湖区"),
    d(610113, "西安市", "雁塔区"), d(610302, "宝鸡市", "渭滨区"),
    d(620102, "兰州市", "城关区"), d(620103, "兰州市", "七里河区"), d(620502, "天水市", "秦州区"),
    d(630102, "西宁市", "城东区"), d(630103, "西宁市", "城中区"), d(630104, "西宁市", "城西区"),
    d(640104, "银川市", "兴庆区"), d(640106, "银川市", "金凤区"), d(640202, "石嘴山市", "大武口区"),
    d(650102, "乌鲁木齐市", "天山区"), d(650103, "乌鲁木齐市", "沙依巴克区"), d(650104, "乌鲁木齐市", "新市区"),
    d(652901, "阿克苏地区", "阿克苏市"), d(653101, "喀什地区", "喀什市"), d(653201, "和田地区", "和田市"),
    d(654002, "伊犁哈萨克自治州", "伊宁市"),
];

/// The province of a district (by the first two digits of its code).
pub fn province_of(district: &District) -> &'static Province {
    let code = (district.code / 10_000) as u8;
    // Every district's province is in the table (a unit test checks it).
    PROVINCES.iter().find(|p| p.code == code).unwrap_or(&PROVINCES[0])
}

/// Common street names (found in most Chinese cities).
pub const STREETS: &[&str] = &[
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "和平路",
    "新华路",
    "胜利路",
    "朝阳路",
    "文化路",
    "光明路",
    "长江路",
    "黄河路",
    "北京路",
    "南京路",
    "幸福路",
    "青年路",
    "民主路",
    "团结路",
    "东风路",
    "红旗路",
    "友谊路",
    "振兴路",
    "学府路",
    "科技路",
    "工业路",
    "滨江路",
    "湖滨路",
    "府前街",
    "北大街",
    "南大街",
    "东大街",
    "西大街",
    "环城路",
    "迎宾大道",
    "世纪大道",
    "金融街",
    "花园路",
    "育才路",
    "健康路",
    "公园路",
];

/// Residential compound names, for addresses with building and room numbers.
pub const COMPOUNDS: &[&str] = &[
    "阳光花园",
    "幸福家园",
    "锦绣华庭",
    "翠苑小区",
    "金色家园",
    "绿城小区",
    "碧桂园",
    "万科城",
    "和谐家园",
    "书香苑",
    "滨江花园",
    "丽景湾",
    "明珠小区",
    "新村",
    "康乐园",
    "御景湾",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_consistent() {
        assert_eq!(PROVINCES.len(), 31);
        assert!(PROVINCES.windows(2).all(|w| w[0].code < w[1].code));
        assert!(DISTRICTS.windows(2).all(|w| w[0].code < w[1].code), "sorted, unique codes");
        assert!(DISTRICTS.len() >= 100);
        for p in PROVINCES {
            let n = DISTRICTS.iter().filter(|d| d.code / 10_000 == p.code as u32).count();
            assert!(n >= 2, "{} has {n} districts", p.name);
            assert!(crate::ids::resident_id::PROVINCE_CODES.contains(&p.code));
        }
        for d in DISTRICTS {
            assert!((110000..660000).contains(&d.code));
            assert_eq!(province_of(d).code as u32, d.code / 10_000);
            // Districts of one city share the city's 4-digit prefix, and one prefix is one city.
            for e in DISTRICTS {
                assert_eq!(d.code / 100 == e.code / 100, d.city == e.city, "{} / {}", d.name, e.name);
            }
        }
    }
}
