//! Opening arbitrary envelopes with an `Opener` over the vectors' keys, at the vectors' time. The
//! first byte picks the recipient key (bits 0-1) and in-memory or streaming opening (bit 7).
#![no_main]
use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use privshare::envelope::{Opener, ReplayStore};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, envelope)) = data.split_first() else { return };
    let f = privshare_fuzz::envelopes();
    let (me, key) = &f.recipients[usize::from(selector & 3)];
    let replay = ReplayStore::in_memory();
    let opener = Opener::new(&f.registry, me, key, &replay).at(f.open_at);
    if selector & 0x80 == 0 {
        let _ = opener.open(envelope);
    } else {
        let mut out = Vec::new();
        let _ = opener.open_stream(Cursor::new(envelope), &mut out);
    }
});
