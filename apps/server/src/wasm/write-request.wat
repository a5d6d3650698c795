;; Remote write's WriteRequest (prompb/remote.proto), decoded in the memory where snappy left it:
;; the per-sample loop of ingest/remote-write/decode-write-request.ts. It fills a table with each
;; TimeSeries' byte range, its label fields' range and its first sample, and two arrays with the
;; samples' timestamps and values; JavaScript then looks the label bytes up in its series cache.
;;
;; It takes the usual request only and leaves the rest to the JavaScript decoder, which is the
;; reference: it returns -1 (decode in JavaScript) for metadata, native histograms, label fields
;; split by other fields, fields with numbers of 16 and up or of a wire type other than bytes in a
;; TimeSeries, any Sample field but value and timestamp, timestamps of more than 7 varint bytes
;; (negative, or 2^49 ms and later), a table or arrays too small, and anything malformed (the
;; JavaScript decoder then names the problem). So where it answers, it answers what the
;; JavaScript decoder would.
(module
  (import "tally" "memory" (memory 1))

  ;; Where the last $length varint ended.
  (global $next (mut i32) (i32.const 0))

  ;; A length varint at p of at most 4 bytes, within `end`; its end goes to $next. -1 otherwise.
  (func $length (param $p i32) (param $end i32) (result i32)
    (local $r i32) (local $shift i32) (local $b i32)
    (loop $byte
      (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
      (local.set $b (i32.load8_u (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $r
        (i32.or (local.get $r) (i32.shl (i32.and (local.get $b) (i32.const 0x7f)) (local.get $shift))))
      (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
      (if (i32.ge_u (local.get $b) (i32.const 0x80))
        (then
          (br_if $byte (i32.lt_u (local.get $shift) (i32.const 28)))
          (return (i32.const -1)))))
    (global.set $next (local.get $p))
    (local.get $r))

  ;; Decodes the WriteRequest in [p, end). Rows of the table hold five i32: the TimeSeries' start
  ;; and end, its label fields' start and end (-1, -1 without labels) and its first sample's index;
  ;; the row after the last holds the sample count as its fifth. Returns the number of series, or
  ;; -1 (see above). The table has room for maxSeries + 1 rows, the arrays for maxSamples.
  (func (export "decode")
    (param $p i32) (param $end i32) (param $table i32) (param $maxSeries i32)
    (param $ts i32) (param $vs i32) (param $maxSamples i32) (result i32)
    (local $count i32) (local $n i32) (local $tag i32) (local $len i32) (local $b i32)
    (local $sEnd i32) (local $mEnd i32) (local $from i32) (local $to i32) (local $row i32)
    (local $t i64) (local $v f64) (local $shift i64)
    (block $bail
      (block $done
        (loop $series
          (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
          ;; WriteRequest.timeseries (1, bytes); anything else goes to JavaScript.
          (br_if $bail (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x0a)))
          (local.set $len (call $length (i32.add (local.get $p) (i32.const 1)) (local.get $end)))
          (br_if $bail (i32.lt_s (local.get $len) (i32.const 0)))
          (local.set $p (global.get $next))
          (br_if $bail (i32.gt_u (local.get $len) (i32.sub (local.get $end) (local.get $p))))
          (local.set $sEnd (i32.add (local.get $p) (local.get $len)))
          (br_if $bail (i32.ge_u (local.get $count) (local.get $maxSeries)))
          (local.set $row (i32.add (local.get $table) (i32.mul (local.get $count) (i32.const 20))))
          (i32.store (local.get $row) (local.get $p))
          (i32.store offset=4 (local.get $row) (local.get $sEnd))
          (i32.store offset=16 (local.get $row) (local.get $n))
          (local.set $from (i32.const -1))
          (local.set $to (i32.const -1))
          (block $seriesDone
            (loop $field
              (br_if $seriesDone (i32.ge_u (local.get $p) (local.get $sEnd)))
              (local.set $tag (i32.load8_u (local.get $p)))
              (if (i32.eq (local.get $tag) (i32.const 0x12))
                (then
                  ;; TimeSeries.samples (2): a Sample of under 128 bytes, its length in one byte.
                  (br_if $bail (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $sEnd)))
                  (local.set $len (i32.load8_u offset=1 (local.get $p)))
                  (br_if $bail (i32.ge_u (local.get $len) (i32.const 0x80)))
                  (local.set $p (i32.add (local.get $p) (i32.const 2)))
                  (br_if $bail (i32.gt_u (local.get $len) (i32.sub (local.get $sEnd) (local.get $p))))
                  (local.set $mEnd (i32.add (local.get $p) (local.get $len)))
                  (local.set $v (f64.const 0))
                  (local.set $t (i64.const 0))
                  (block $sampleDone
                    (loop $sampleField
                      (br_if $sampleDone (i32.ge_u (local.get $p) (local.get $mEnd)))
                      (local.set $tag (i32.load8_u (local.get $p)))
                      (if (i32.eq (local.get $tag) (i32.const 0x09))
                        (then
                          ;; Sample.value (1, fixed64 double), copied bit for bit (staleness
                          ;; markers are NaNs with a payload).
                          (br_if $bail (i32.lt_u (i32.sub (local.get $mEnd) (local.get $p)) (i32.const 9)))
                          (local.set $v (f64.load offset=1 (local.get $p)))
                          (local.set $p (i32.add (local.get $p) (i32.const 9)))
                          (br $sampleField)))
                      ;; Sample.timestamp (2, varint int64), milliseconds below 2^49.
                      (br_if $bail (i32.ne (local.get $tag) (i32.const 0x10)))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (local.set $t (i64.const 0))
                      (local.set $shift (i64.const 0))
                      (loop $byte
                        (br_if $bail (i32.ge_u (local.get $p) (local.get $mEnd)))
                        (br_if $bail (i64.ge_u (local.get $shift) (i64.const 49)))
                        (local.set $b (i32.load8_u (local.get $p)))
                        (local.set $p (i32.add (local.get $p) (i32.const 1)))
                        (local.set $t
                          (i64.or (local.get $t)
                            (i64.shl (i64.extend_i32_u (i32.and (local.get $b) (i32.const 0x7f))) (local.get $shift))))
                        (local.set $shift (i64.add (local.get $shift) (i64.const 7)))
                        (br_if $byte (i32.ge_u (local.get $b) (i32.const 0x80))))
                      (br $sampleField)))
                  (br_if $bail (i32.ge_u (local.get $n) (local.get $maxSamples)))
                  (f64.store (i32.add (local.get $ts) (i32.shl (local.get $n) (i32.const 3)))
                    (f64.convert_i64_u (local.get $t)))
                  (f64.store (i32.add (local.get $vs) (i32.shl (local.get $n) (i32.const 3))) (local.get $v))
                  (local.set $n (i32.add (local.get $n) (i32.const 1)))
                  (br $field)))
              ;; Histograms (4) and fields of 16 and up go to JavaScript.
              (br_if $bail (i32.eq (local.get $tag) (i32.const 0x22)))
              (br_if $bail (i32.ge_u (local.get $tag) (i32.const 0x80)))
              ;; Other bytes fields: labels (1), exemplars (3) and unknown ones.
              (br_if $bail (i32.ne (i32.and (local.get $tag) (i32.const 7)) (i32.const 2)))
              (local.set $len (call $length (i32.add (local.get $p) (i32.const 1)) (local.get $sEnd)))
              (br_if $bail (i32.lt_s (local.get $len) (i32.const 0)))
              (br_if $bail (i32.gt_u (local.get $len) (i32.sub (local.get $sEnd) (global.get $next))))
              (if (i32.eq (local.get $tag) (i32.const 0x0a))
                (then
                  ;; TimeSeries.labels (1): one range of label fields, or JavaScript.
                  (if (i32.eq (local.get $to) (local.get $p))
                    (then (local.set $to (i32.add (global.get $next) (local.get $len))))
                    (else
                      (br_if $bail (i32.ge_s (local.get $from) (i32.const 0)))
                      (local.set $from (local.get $p))
                      (local.set $to (i32.add (global.get $next) (local.get $len)))))))
              (local.set $p (i32.add (global.get $next) (local.get $len)))
              (br $field)))
          (i32.store offset=8 (local.get $row) (local.get $from))
          (i32.store offset=12 (local.get $row) (local.get $to))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (br $series)))
      (i32.store offset=16
        (i32.add (local.get $table) (i32.mul (local.get $count) (i32.const 20))) (local.get $n))
      (return (local.get $count)))
    (i32.const -1)))
