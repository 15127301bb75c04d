//! Sharing policies: `policy text 0xFF data`. The policy is read (TOML, or JSON when it starts with
//! `{`), compiled over the vectors' keyset, and applied to the data: JSON Lines when it starts
//! with `{`, CSV otherwise.
#![no_main]
use libfuzzer_sys::fuzz_target;
use privshare::policy::{Format, Plan, Policy};

fuzz_target!(|data: &[u8]| {
    let (policy, csv) = privshare_fuzz::split2(data);
    let Ok(text) = std::str::from_utf8(policy) else { return };
    let format = if text.trim_start().starts_with('{') { Format::Json } else { Format::Toml };
    let Ok(policy) = Policy::parse(text, format) else { return };
    let Ok(plan) = Plan::compile(&policy, privshare_fuzz::keyset()) else { return };
    let mut out = Vec::new();
    if csv.first() == Some(&b'{') {
        let _ = plan.protect_jsonl(csv, &mut out);
    } else {
        let _ = plan.protect_csv(csv, &mut out, b',');
    }
});
