//! FF1 (NIST SP 800-38G) over any 128-bit block cipher, with machine-integer arithmetic.
