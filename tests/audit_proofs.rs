//! Merkle tree, inclusion and consistency proofs against the Certificate Transparency reference
//! behaviour (RFC 6962 / 9162): the transparency-dev/merkle test tree and verification vectors in
//! tests/vectors/audit/ct/, and a literal transcription of the RFC's definitions in property tests.

use privshare::audit::hash::{empty_root, leaf_hash, node_hash};
use privshare::audit::{ConsistencyProof, Hash, InclusionProof, MerkleTree};
use privshare::Suite;
use proptest::prelude::*;
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/audit/ct/proof-verification.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A 32-byte hash from hex, or None for the vectors' deliberately wrong-length hashes (which our
/// typed API cannot even express).
fn h32(v: &Value) -> Option<Hash> {
    let bytes = hex::decode(v.as_str().unwrap()).unwrap();
    bytes.try_into().ok()
}

fn path(v: &Value) -> Option<Vec<Hash>> {
    v.as_array().unwrap().iter().map(h32).collect()
}

/// The leaves of the RFC 6962 reference implementation's test tree (as in transparency-dev/merkle).
const CT_LEAVES: [&str; 8] =
    ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const CT_ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn ct_tree() -> MerkleTree {
    let mut t = MerkleTree::new(Suite::Aes);
    for l in CT_LEAVES {
        t.push(leaf_hash(Suite::Aes, &hex::decode(l).unwrap()));
    }
    t
}

#[test]
fn ct_test_tree_roots() {
    let t = ct_tree();
    assert_eq!(hex::encode(t.root_at(0).unwrap()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (i, want) in CT_ROOTS.iter().enumerate() {
        assert_eq!(hex::encode(t.root_at(i as u64 + 1).unwrap()), *want, "size {}", i + 1);
    }
}

#[test]
fn ct_inclusion_vectors() {
    let v = vectors();
    let tree = ct_tree();
    let (mut checked, mut generated) = (0, 0);
    for case in v["inclusion"].as_array().unwrap() {
        let valid = case["valid"].as_bool().unwrap();
        let name = case["file"].as_str().unwrap();
        let (Some(leaf), Some(root), Some(path)) = (h32(&case["leaf_hash"]), h32(&case["root"]), path(&case["proof"]))
        else {
            assert!(!valid, "{name}: a valid case with a hash that is not 32 bytes");
            continue;
        };
        let proof = InclusionProof {
            suite: Suite::Aes,
            leaf_index: case["leaf_index"].as_u64().unwrap(),
            tree_size: case["tree_size"].as_u64().unwrap(),
            path,
        };
        assert_eq!(proof.verify(&leaf, &root).is_ok(), valid, "{name}");
        checked += 1;
        // The valid proofs over the test tree: ours must be the same hashes.
        if valid && proof.tree_size <= 8 && tree.root_at(proof.tree_size).unwrap() == root {
            assert_eq!(tree.inclusion_proof(proof.leaf_index, proof.tree_size).unwrap(), proof, "{name}");
            generated += 1;
        }
    }
    assert!(checked > 70 && generated >= 5, "{checked} checked, {generated} generated");
}

#[test]
fn ct_consistency_vectors() {
    let v = vectors();
    let tree = ct_tree();
    let (mut checked, mut generated) = (0, 0);
    for case in v["consistency"].as_array().unwrap() {
        let valid = case["valid"].as_bool().unwrap();
        let name = case["file"].as_str().unwrap();
        let (Some(old), Some(new), Some(path)) = (h32(&case["old_root"]), h32(&case["new_root"]), path(&case["proof"]))
        else {
            // One valid case uses 12-byte roots: equal sizes, equal roots, empty proof. The same
            // case with 32-byte roots is checked below.
            assert!(!valid || name.ends_with("sizes-are-equal-one-and-proof-is-empty.json"), "{name}");
            continue;
        };
        let proof = ConsistencyProof {
            suite: Suite::Aes,
            old_size: case["old_size"].as_u64().unwrap(),
            new_size: case["new_size"].as_u64().unwrap(),
            path,
        };
        assert_eq!(proof.verify(&old, &new).is_ok(), valid, "{name}");
        checked += 1;
        if valid && proof.new_size <= 8 && tree.root_at(proof.new_size).unwrap() == new {
            assert_eq!(tree.consistency_proof(proof.old_size, proof.new_size).unwrap(), proof, "{name}");
            generated += 1;
        }
    }
    assert!(checked > 70 && generated >= 5, "{checked} checked, {generated} generated");
    let equal = ConsistencyProof { suite: Suite::Aes, old_size: 1, new_size: 1, path: vec![] };
    assert!(equal.verify(&[7; 32], &[7; 32]).is_ok());
}

// --- the RFC's definitions, literally, over a list of leaf hashes ---------------------------------

fn k_of(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

fn mth(s: Suite, d: &[Hash]) -> Hash {
    match d.len() {
        0 => empty_root(s),
        1 => d[0],
        n => node_hash(s, &mth(s, &d[..k_of(n)]), &mth(s, &d[k_of(n)..])),
    }
}

fn path_ref(s: Suite, m: usize, d: &[Hash]) -> Vec<Hash> {
    if d.len() <= 1 {
        return vec![];
    }
    let k = k_of(d.len());
    if m < k {
        [path_ref(s, m, &d[..k]), vec![mth(s, &d[k..])]].concat()
    } else {
        [path_ref(s, m - k, &d[k..]), vec![mth(s, &d[..k])]].concat()
    }
}

fn subproof_ref(s: Suite, m: usize, d: &[Hash], b: bool) -> Vec<Hash> {
    let n = d.len();
    if m == n {
        return if b { vec![] } else { vec![mth(s, d)] };
    }
    let k = k_of(n);
    if m <= k {
        [subproof_ref(s, m, &d[..k], b), vec![mth(s, &d[k..])]].concat()
    } else {
        [subproof_ref(s, m - k, &d[k..], false), vec![mth(s, &d[..k])]].concat()
    }
}

fn leaves(s: Suite, n: usize, salt: u64) -> Vec<Hash> {
    (0..n as u64).map(|i| leaf_hash(s, &[salt.to_be_bytes(), i.to_be_bytes()].concat())).collect()
}

fn suite() -> impl Strategy<Value = Suite> {
    prop_oneof![Just(Suite::Aes), Just(Suite::Sm)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn proofs_match_the_definitions_and_verify(s in suite(), n in 1usize..160, a in any::<u64>(), b in any::<u64>(), salt in any::<u64>()) {
        let d = leaves(s, n, salt);
        let mut tree = MerkleTree::new(s);
        d.iter().for_each(|&l| tree.push(l));
        let size = 1 + (a as usize % n);
        let index = b as usize % size;
        prop_assert_eq!(tree.root_at(size as u64).unwrap(), mth(s, &d[..size]));

        let inc = tree.inclusion_proof(index as u64, size as u64).unwrap();
        prop_assert_eq!(&inc.path, &path_ref(s, index, &d[..size]));
        let root = mth(s, &d[..size]);
        prop_assert!(inc.verify(&d[index], &root).is_ok());
        prop_assert_eq!(InclusionProof::decode(&inc.encode()).unwrap(), inc.clone());

        let old = 1 + (b as usize % size);
        let con = tree.consistency_proof(old as u64, size as u64).unwrap();
        let want = if old == size { vec![] } else { subproof_ref(s, old, &d[..size], true) };
        prop_assert_eq!(&con.path, &want);
        prop_assert!(con.verify(&mth(s, &d[..old]), &root).is_ok());
        prop_assert_eq!(ConsistencyProof::decode(&con.encode()).unwrap(), con);
    }

    #[test]
    fn altered_proofs_fail(s in suite(), n in 2usize..100, a in any::<u64>(), b in any::<u64>(), c in any::<u64>()) {
        let d = leaves(s, n, 1);
        let mut tree = MerkleTree::new(s);
        d.iter().for_each(|&l| tree.push(l));
        let size = 2 + (a as usize % (n - 1));
        let index = (b as usize % size) as u64;
        let root = tree.root_at(size as u64).unwrap();
        let inc = tree.inclusion_proof(index, size as u64).unwrap();
        // Another leaf, index or size; a flipped bit; a dropped or extra hash.
        prop_assert!(inc.verify(&d[(index as usize + 1) % size], &root).is_err());
        let mut p = inc.clone();
        p.leaf_index = (index + 1 + c % (size as u64 - 1)) % size as u64;
        prop_assert!(p.verify(&d[index as usize], &root).is_err());
        if !inc.path.is_empty() {
            let mut p = inc.clone();
            let i = c as usize % p.path.len();
            p.path[i][(c >> 8) as usize % 32] ^= 1 << ((c >> 16) % 8);
            prop_assert!(p.verify(&d[index as usize], &root).is_err());
            let mut p = inc.clone();
            p.path.pop();
            prop_assert!(p.verify(&d[index as usize], &root).is_err());
        }
        let mut p = inc.clone();
        p.path.push(root);
        prop_assert!(p.verify(&d[index as usize], &root).is_err());

        let old = 1 + (c as usize % (size - 1));
        let old_root = tree.root_at(old as u64).unwrap();
        let con = tree.consistency_proof(old as u64, size as u64).unwrap();
        prop_assert!(con.verify(&old_root, &root).is_ok());
        let other = leaf_hash(s, b"other");
        prop_assert!(con.verify(&other, &root).is_err());
        prop_assert!(con.verify(&old_root, &other).is_err());
        let mut p = con.clone();
        let i = b as usize % p.path.len();
        p.path[i][0] ^= 0x80;
        prop_assert!(p.verify(&old_root, &root).is_err());
        // A different old tree (its last leaf replaced) is not a prefix.
        let mut forked = d[..old].to_vec();
        forked[old - 1] = other;
        prop_assert!(con.verify(&mth(s, &forked), &root).is_err());
    }
}

#[test]
fn proofs_of_bad_sizes_are_refused() {
    let t = ct_tree();
    assert!(t.inclusion_proof(8, 8).is_err());
    assert!(t.inclusion_proof(0, 9).is_err());
    assert!(t.consistency_proof(0, 4).is_err(), "a proof from the empty tree proves nothing");
    assert!(t.consistency_proof(5, 4).is_err());
    assert!(t.consistency_proof(4, 9).is_err());
}
