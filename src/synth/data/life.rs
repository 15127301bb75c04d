//! Occupations, education levels, marital statuses and diagnoses.

/// Occupations of working-age people (roughly the major groups of GB/T 6565, in everyday words),
/// with relative weights.
#[rustfmt::skip]
pub const OCCUPATIONS: &[(&str, u32)] = &[
    ("农民", 160), ("工厂工人", 120), ("建筑工人", 60), ("个体经营者", 70), ("销售人员", 60), ("司机", 35),
    ("快递员", 25), ("服务员", 30), ("厨师", 20), ("保安", 20), ("电工", 15), ("教师", 35), ("医生", 12),
    ("护士", 14), ("工程师", 30), ("程序员", 20), ("会计", 20), ("公务员", 20), ("律师", 4), ("银行职员", 12),
    ("警察", 6), ("记者", 3), ("设计师", 8), ("科研人员", 6), ("药剂师", 4), ("保险代理人", 10),
    ("房地产经纪人", 6), ("企业管理人员", 25), ("外卖骑手", 15), ("自由职业者", 20), ("无业", 40),
];
/// Occupation of most people in school or university.
pub const STUDENT: &str = "学生";
/// Occupation of most people past retirement age.
pub const RETIRED: &str = "离退休人员";

/// Highest completed education (the census categories), from lowest to highest.
pub const EDUCATION: &[&str] = &["小学", "初中", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生"];
/// Weights of [`EDUCATION`] for people born before 1970 and for those born from 1970 on
/// (attainment rose sharply; figures shaped after the 2020 census).
pub const EDUCATION_WEIGHTS: [[u32; 8]; 2] = [[330, 380, 150, 40, 50, 45, 4, 1], [80, 330, 160, 90, 150, 160, 25, 5]];

/// Marital statuses.
pub const MARITAL: &[&str] = &["未婚", "已婚", "离婚", "丧偶"];

/// Who a diagnosis applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applies {
    /// Anyone.
    All,
    /// Women only.
    Female,
    /// Men only.
    Male,
}

/// A diagnosis: ICD-10 code, Chinese name (as in the national clinical edition of ICD-10),
/// weight among people under 50 and among people 50 and over, and who it applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// ICD-10 code, e.g. `I10`.
    pub code: &'static str,
    /// Chinese name, e.g. `原发性高血压`.
    pub name: &'static str,
    /// Relative frequency below age 50.
    pub young: u32,
    /// Relative frequency from age 50.
    pub old: u32,
    /// Sex restriction.
    pub applies: Applies,
}

const fn dx(code: &'static str, name: &'static str, young: u32, old: u32, applies: Applies) -> Diagnosis {
    Diagnosis { code, name, young, old, applies }
}

use Applies::{All, Female, Male};

/// Common outpatient and inpatient diagnoses.
#[rustfmt::skip]
pub const DIAGNOSES: &[Diagnosis] = &[
    dx("Z00.0", "一般医学检查", 120, 60, All),
    dx("J06.9", "急性上呼吸道感染", 140, 50, All),
    dx("I10", "原发性高血压", 20, 160, All),
    dx("E11.9", "2型糖尿病不伴有并发症", 10, 90, All),
    dx("E78.5", "高脂血症", 15, 60, All),
    dx("I25.1", "动脉硬化性心脏病", 3, 50, All),
    dx("I63.9", "脑梗死", 2, 40, All),
    dx("I50.9", "心力衰竭", 1, 15, All),
    dx("J18.9", "肺炎", 20, 30, All),
    dx("J44.9", "慢性阻塞性肺病", 2, 30, All),
    dx("J45.9", "哮喘", 15, 10, All),
    dx("K29.7", "胃炎", 50, 40, All),
    dx("K21.9", "胃食管反流病", 20, 20, All),
    dx("K80.2", "胆囊结石不伴有胆囊炎", 10, 20, All),
    dx("K35.8", "急性阑尾炎", 12, 3, All),
    dx("K76.0", "脂肪肝", 25, 25, All),
    dx("B18.1", "慢性乙型病毒性肝炎", 15, 10, All),
    dx("N18.9", "慢性肾脏病", 3, 15, All),
    dx("N39.0", "泌尿道感染", 20, 15, All),
    dx("E03.9", "甲状腺功能减退症", 10, 10, All),
    dx("M17.9", "膝关节病", 3, 35, All),
    dx("M54.5", "下背痛", 30, 30, All),
    dx("M81.9", "骨质疏松", 1, 25, All),
    dx("F32.9", "抑郁发作", 15, 8, All),
    dx("F41.9", "焦虑障碍", 15, 8, All),
    dx("G43.9", "偏头痛", 15, 5, All),
    dx("H52.1", "近视", 40, 5, All),
    dx("H25.9", "老年性白内障", 0, 25, All),
    dx("L20.9", "特应性皮炎", 12, 4, All),
    dx("C34.9", "支气管或肺恶性肿瘤", 1, 10, All),
    dx("C16.9", "胃恶性肿瘤", 1, 6, All),
    dx("C50.9", "乳房恶性肿瘤", 3, 8, Female),
    dx("N40", "前列腺增生", 0, 30, Male),
];
