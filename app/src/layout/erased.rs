//! Type-erased views without a second, asynchronous hydration path.
//!
//! Leptos 0.8's `AnyView` (what `.into_any()` makes) keeps a pointer to the
//! erased view's asynchronous hydration beside its synchronous one, so every
//! erased view compiles both into the wasm, whether the async one is ever
//! called or not (leptos-rs/leptos#4438, #4852; only Leptos 0.9 drops it).
//! Here only the router awaits anything while hydrating (a page's lazily
//! loaded chunk), and it hydrates the page it opens synchronously; so below
//! the router the async copies are dead weight: 11 % of the JS and wasm the
//! inbox loads, 15 % of the editor's (docs/performance.md, "What the wasm
//! holds").
//!
//! `.erase()` erases a view like `.into_any()`, but through [`SyncHydrated`],
//! whose async hydration is the synchronous one, so the compiler has no
//! async copy of the subtree to keep. Use it for every erased view that the
//! router does not contain (that is, everywhere but around the routes);
//! the architecture test (tests/architecture.rs) refuses a plain
//! `.into_any()` elsewhere. `.sync_hydrated()` does the same for views that
//! Leptos erases itself, such as the children of `<ActionForm>`.

use leptos::tachys::{
    html::attribute::{any_attribute::AnyAttribute, Attribute},
    hydration::Cursor,
    ssr::StreamBuilder,
    view::{
        add_attr::AddAnyAttr,
        any_view::{AnyView, IntoAny},
        Position, PositionState, Render, RenderHtml,
    },
};

/// A view that renders and hydrates exactly like the one it wraps, except
/// that it never hydrates asynchronously (the trait's default: hydrate now).
pub struct SyncHydrated<V>(V);

/// `.erase()`: `.into_any()` without the async hydration copy (module docs).
pub trait Erase: RenderHtml + Sized {
    fn erase(self) -> AnyView {
        SyncHydrated(self).into_any()
    }

    /// For the children of a Leptos component that erases them itself
    /// (`<ActionForm>`): `<ActionForm ..>{view! { .. }.sync_hydrated()}</ActionForm>`.
    fn sync_hydrated(self) -> SyncHydrated<Self> {
        SyncHydrated(self)
    }
}

impl<V: RenderHtml> Erase for V {}

impl<V: Render> Render for SyncHydrated<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<V: AddAnyAttr> AddAnyAttr for SyncHydrated<V> {
    type Output<SomeNewAttr: Attribute> = SyncHydrated<V::Output<SomeNewAttr>>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        SyncHydrated(self.0.add_any_attr(attr))
    }
}

impl<V: RenderHtml> RenderHtml for SyncHydrated<V> {
    type AsyncOutput = SyncHydrated<V::AsyncOutput>;
    type Owned = SyncHydrated<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve()
    }

    async fn resolve(self) -> Self::AsyncOutput {
        SyncHydrated(self.0.resolve().await)
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        self.0.to_html_async_with_buf::<OUT_OF_ORDER>(
            buf,
            position,
            escape,
            mark_branches,
            extra_attrs,
        )
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        SyncHydrated(self.0.into_owned())
    }
}
