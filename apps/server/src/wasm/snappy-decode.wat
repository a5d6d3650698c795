;; Snappy block decoding (format_description.txt of google/snappy), the hot loop of remote write's
;; decompression. snappy-block.ts owns the memory layout, the length preamble and the limit; this
;; module only turns elements into bytes. `npm run build:wasm -w @tally/server` assembles it into
;; snappy-decode-wasm.ts, and a test checks the two agree.
;;
;; Why WebAssembly: the same loop in JavaScript ran at ~0.45 GB/s on remote-write bodies, and in a
;; freshly started server it ran unoptimized until V8 had seen enough of it; this runs compiled
;; from its first call. Elements are copied eight or sixteen bytes at a time, over-copying into
;; slack that the caller leaves after both regions, so most elements cost two loads and stores.
(module
  (import "tally" "memory" (memory 1))

  ;; Decodes the elements in [p, end) into [dst, dst + len). Returns the number of bytes written,
  ;; or -1 when an element is corrupt: it runs past the block, past `len`, or copies from before
  ;; the start of the output. The caller then decodes again in JavaScript to name the problem.
  ;; Needs 16 readable bytes after `end` and 16 writable bytes after `dst + len`.
  (func (export "decode") (param $p i32) (param $end i32) (param $dst i32) (param $len i32) (result i32)
    (local $at i32) (local $tag i32) (local $n i32) (local $k i32) (local $off i32)
    (local $to i32) (local $from i32) (local $stop i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $tag (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $to (i32.add (local.get $dst) (local.get $at)))
        (if (i32.eqz (i32.and (local.get $tag) (i32.const 3)))
          (then
            ;; A literal: 1..60 bytes in the tag, or a length of 1..4 little-endian bytes after it.
            (local.set $n (i32.add (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 1)))
            (if (i32.gt_u (local.get $n) (i32.const 60))
              (then
                (local.set $k (i32.sub (local.get $n) (i32.const 60)))
                (if (i32.gt_u (local.get $k) (i32.sub (local.get $end) (local.get $p)))
                  (then (return (i32.const -1))))
                (local.set $n (i32.load (local.get $p)))
                (if (i32.lt_u (local.get $k) (i32.const 4))
                  (then
                    (local.set $n
                      (i32.and (local.get $n)
                        (i32.sub (i32.shl (i32.const 1) (i32.shl (local.get $k) (i32.const 3))) (i32.const 1))))))
                (local.set $p (i32.add (local.get $p) (local.get $k)))
                ;; The stored value is the length - 1; 0xffffffff would wrap to 0.
                (if (i32.eq (local.get $n) (i32.const -1)) (then (return (i32.const -1))))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))))
            (if (i32.gt_u (local.get $n) (i32.sub (local.get $end) (local.get $p)))
              (then (return (i32.const -1))))
            (if (i32.gt_u (local.get $n) (i32.sub (local.get $len) (local.get $at)))
              (then (return (i32.const -1))))
            (if (i32.le_u (local.get $n) (i32.const 16))
              (then
                (i64.store (local.get $to) (i64.load (local.get $p)))
                (i64.store offset=8 (local.get $to) (i64.load offset=8 (local.get $p))))
              (else (memory.copy (local.get $to) (local.get $p) (local.get $n))))
            (local.set $p (i32.add (local.get $p) (local.get $n)))
            (local.set $at (i32.add (local.get $at) (local.get $n)))
            (br $next)))
        ;; A copy of n bytes from `off` bytes back in the output (overlapping: a run).
        (if (i32.eq (i32.and (local.get $tag) (i32.const 3)) (i32.const 1))
          (then
            (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
            (local.set $n (i32.add (i32.and (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 7)) (i32.const 4)))
            (local.set $off
              (i32.or (i32.shl (i32.shr_u (local.get $tag) (i32.const 5)) (i32.const 8))
                (i32.load8_u (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 1))))
          (else
            (local.set $n (i32.add (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 1)))
            (if (i32.eq (i32.and (local.get $tag) (i32.const 3)) (i32.const 2))
              (then
                (if (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 2))
                  (then (return (i32.const -1))))
                (local.set $off (i32.load16_u (local.get $p)))
                (local.set $p (i32.add (local.get $p) (i32.const 2))))
              (else
                (if (i32.lt_u (i32.sub (local.get $end) (local.get $p)) (i32.const 4))
                  (then (return (i32.const -1))))
                (local.set $off (i32.load (local.get $p)))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))))))
        (if (i32.or (i32.eqz (local.get $off)) (i32.gt_u (local.get $off) (local.get $at)))
          (then (return (i32.const -1))))
        (if (i32.gt_u (local.get $n) (i32.sub (local.get $len) (local.get $at)))
          (then (return (i32.const -1))))
        (local.set $from (i32.sub (local.get $to) (local.get $off)))
        (local.set $stop (i32.add (local.get $to) (local.get $n)))
        (local.set $at (i32.add (local.get $at) (local.get $n)))
        (if (i32.ge_u (local.get $off) (i32.const 8))
          (then
            ;; Each eight-byte word read lies wholly before the write position, so it is final.
            (loop $words
              (i64.store (local.get $to) (i64.load (local.get $from)))
              (local.set $to (i32.add (local.get $to) (i32.const 8)))
              (local.set $from (i32.add (local.get $from) (i32.const 8)))
              (br_if $words (i32.lt_u (local.get $to) (local.get $stop)))))
          (else
            (loop $bytes
              (i32.store8 (local.get $to) (i32.load8_u (local.get $from)))
              (local.set $to (i32.add (local.get $to) (i32.const 1)))
              (local.set $from (i32.add (local.get $from) (i32.const 1)))
              (br_if $bytes (i32.lt_u (local.get $to) (local.get $stop))))))
        (br $next)))
    (local.get $at)))
