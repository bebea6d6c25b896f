//! A serde [`Deserializer`] over Python parameters, so the core's one-pass validator
//! (`essbasic::transcode::build_request_from`) reads the dict itself: no JSON text is written
//! and tokenized again. Value conversion only; what is valid is the core's to say.
//!
//! Only exact `dict`, `list`, `tuple`, `str`, `int`, `float`, `bool` and `None` are read, and
//! they are reported as serde_json reports the JSON text `json.dumps` would write for them
//! (a non-negative `int` by `visit_u64`, a negative one by `visit_i64`, a `str` borrowed only
//! when it needs no escaping). Anything else — a subclass, a non-`str` key, an integer beyond
//! 64 bits, NaN or an infinity, a lone surrogate, nesting deeper than [`MAX_DEPTH`] — stops
//! the walk, and the caller takes the JSON text path, which decides (and words any error)
//! exactly as before.

use std::fmt;
use std::marker::PhantomData;
use std::os::raw::c_char;
use std::ptr::addr_of_mut;

use pyo3::ffi;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::fast::find_special;

/// Deepest nesting read here (the JSON text path's `write_json` stops at the same depth).
const MAX_DEPTH: usize = 100;

extern "C" {
    // In every CPython 3 (declared for the limited API from 3.10 only): the UTF-8 text a
    // `str` caches, without a copy.
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut ffi::PyObject,
        size: *mut ffi::Py_ssize_t,
    ) -> *const c_char;
}

/// The walk stopped: the caller takes the JSON text path.
#[derive(Debug)]
pub(crate) struct NotPlain;

impl fmt::Display for NotPlain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not plain JSON values")
    }
}

impl std::error::Error for NotPlain {}

impl de::Error for NotPlain {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotPlain
    }
}

/// One Python value, read as serde data for `'de`.
///
/// Built by [`PyParams::new`], whose contract makes the borrowed pointers sound.
#[derive(Clone, Copy)]
pub(crate) struct PyParams<'de> {
    obj: *mut ffi::PyObject,
    depth: usize,
    _life: PhantomData<&'de ()>,
}

impl<'de> PyParams<'de> {
    /// # Safety
    ///
    /// The GIL is held and `obj` is alive for `'de`, and no Python code runs (nor is any
    /// object reachable from `obj` changed) while the value is read: the containers' items
    /// and the UTF-8 text cached on each `str` are then alive and unchanged for `'de`. The
    /// walk itself runs no Python code: it touches exact built-in types only.
    pub(crate) unsafe fn new(obj: *mut ffi::PyObject) -> Self {
        Self::at(obj, 0)
    }

    fn at(obj: *mut ffi::PyObject, depth: usize) -> Self {
        Self {
            obj,
            depth,
            _life: PhantomData,
        }
    }

    /// The UTF-8 text of an exact `str`; `None` for a lone surrogate.
    fn utf8(&self) -> Option<&'de str> {
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: `obj` is a live `str` (see `new`); the GIL is held.
        let data = unsafe { PyUnicode_AsUTF8AndSize(self.obj, &mut size) };
        if data.is_null() {
            // The UnicodeEncodeError of a lone surrogate: the JSON text path reports it.
            // SAFETY: the GIL is held.
            unsafe { ffi::PyErr_Clear() };
            return None;
        }
        let len = usize::try_from(size).ok()?;
        // SAFETY: CPython returned `len` bytes of valid UTF-8 at `data`, cached on the `str`,
        // which lives (unchanged: `str` is immutable) for `'de`.
        Some(unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast::<u8>(), len))
        })
    }

    /// Reports a `str`: borrowed when it is written as it is, else to be escaped.
    fn visit_text<V: Visitor<'de>>(self, v: V) -> Result<V::Value, NotPlain> {
        let s = self.utf8().ok_or(NotPlain)?;
        if find_special(s.as_bytes(), 0) == s.len() {
            v.visit_borrowed_str(s)
        } else {
            v.visit_str(s)
        }
    }

    fn visit_int<V: Visitor<'de>>(self, v: V) -> Result<V::Value, NotPlain> {
        let mut overflow = 0;
        // SAFETY: `obj` is a live exact `int`; the GIL is held. No Python code runs for it.
        let i = unsafe { ffi::PyLong_AsLongLongAndOverflow(self.obj, &mut overflow) };
        if overflow == 0 {
            if i == -1 && unsafe { !ffi::PyErr_Occurred().is_null() } {
                unsafe { ffi::PyErr_Clear() };
                return Err(NotPlain);
            }
            return if i < 0 {
                v.visit_i64(i)
            } else {
                v.visit_u64(i.unsigned_abs())
            };
        }
        if overflow > 0 {
            // SAFETY: as above.
            let u = unsafe { ffi::PyLong_AsUnsignedLongLong(self.obj) };
            if u == u64::MAX && unsafe { !ffi::PyErr_Occurred().is_null() } {
                // Beyond 64 bits: the JSON text path keeps its digits.
                unsafe { ffi::PyErr_Clear() };
                return Err(NotPlain);
            }
            return v.visit_u64(u);
        }
        Err(NotPlain)
    }
}

/// The exact type of `obj` is `ty`.
fn is<T>(obj: *mut ffi::PyObject, ty: *mut T) -> bool {
    // SAFETY: `obj` is a live object.
    unsafe { ffi::Py_TYPE(obj) }.cast::<T>() == ty
}

impl<'de> Deserializer<'de> for PyParams<'de> {
    type Error = NotPlain;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, NotPlain> {
        let obj = self.obj;
        // SAFETY: `obj` is live (see `PyParams::new`); the GIL is held.
        unsafe {
            if is(obj, addr_of_mut!(ffi::PyUnicode_Type)) {
                self.visit_text(v)
            } else if is(obj, addr_of_mut!(ffi::PyDict_Type)) {
                if self.depth >= MAX_DEPTH {
                    return Err(NotPlain);
                }
                v.visit_map(DictItems {
                    dict: obj,
                    pos: 0,
                    value: std::ptr::null_mut(),
                    depth: self.depth + 1,
                    _life: PhantomData,
                })
            } else if is(obj, addr_of_mut!(ffi::PyLong_Type)) {
                self.visit_int(v)
            } else if is(obj, addr_of_mut!(ffi::PyBool_Type)) {
                v.visit_bool(obj == ffi::Py_True())
            } else if obj == ffi::Py_None() {
                v.visit_unit()
            } else if is(obj, addr_of_mut!(ffi::PyList_Type))
                || is(obj, addr_of_mut!(ffi::PyTuple_Type))
            {
                if self.depth >= MAX_DEPTH {
                    return Err(NotPlain);
                }
                v.visit_seq(Items {
                    seq: obj,
                    list: is(obj, addr_of_mut!(ffi::PyList_Type)),
                    next: 0,
                    depth: self.depth + 1,
                    _life: PhantomData,
                })
            } else if is(obj, addr_of_mut!(ffi::PyFloat_Type)) {
                let f = ffi::PyFloat_AsDouble(obj);
                if f.is_finite() {
                    v.visit_f64(f)
                } else {
                    // NaN and the infinities: json.dumps' own spelling.
                    Err(NotPlain)
                }
            } else {
                Err(NotPlain)
            }
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The items of an exact `list` or `tuple`, by index (the length is read each time: nothing
/// changes it during the walk, see `PyParams::new`).
struct Items<'de> {
    seq: *mut ffi::PyObject,
    list: bool,
    next: ffi::Py_ssize_t,
    depth: usize,
    _life: PhantomData<&'de ()>,
}

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = NotPlain;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, NotPlain> {
        // SAFETY: `seq` is a live exact list or tuple; the items returned are borrowed from
        // it and stay alive (see `PyParams::new`).
        let item = unsafe {
            let len = if self.list {
                ffi::PyList_Size(self.seq)
            } else {
                ffi::PyTuple_Size(self.seq)
            };
            if self.next >= len {
                return Ok(None);
            }
            if self.list {
                ffi::PyList_GetItem(self.seq, self.next)
            } else {
                ffi::PyTuple_GetItem(self.seq, self.next)
            }
        };
        if item.is_null() {
            // SAFETY: the GIL is held.
            unsafe { ffi::PyErr_Clear() };
            return Err(NotPlain);
        }
        self.next += 1;
        seed.deserialize(PyParams::at(item, self.depth)).map(Some)
    }
}

/// The members of an exact `dict`, in order (`PyDict_Next`, borrowed references).
struct DictItems<'de> {
    dict: *mut ffi::PyObject,
    pos: ffi::Py_ssize_t,
    value: *mut ffi::PyObject,
    depth: usize,
    _life: PhantomData<&'de ()>,
}

impl<'de> MapAccess<'de> for DictItems<'de> {
    type Error = NotPlain;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, NotPlain> {
        let mut key = std::ptr::null_mut();
        let mut value = std::ptr::null_mut();
        // SAFETY: `dict` is a live exact dict, unchanged during the walk (see
        // `PyParams::new`); the references returned are borrowed from it.
        if unsafe { ffi::PyDict_Next(self.dict, &mut self.pos, &mut key, &mut value) } == 0 {
            return Ok(None);
        }
        if !is(key, addr_of_mut!(ffi::PyUnicode_Type)) {
            // json.dumps turns some other keys into strings: the JSON text path does.
            return Err(NotPlain);
        }
        self.value = value;
        seed.deserialize(PyParams::at(key, self.depth)).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, NotPlain> {
        if self.value.is_null() {
            return Err(NotPlain);
        }
        let value = std::mem::replace(&mut self.value, std::ptr::null_mut());
        seed.deserialize(PyParams::at(value, self.depth))
    }
}
