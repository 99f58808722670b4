/* fake-cairo.c - a "libcairo.so.2" with none of cairo's functions, put
 * first on the library path by no-cairo.sh: what a broken or foreign
 * cairo looks like to votecloud, which opens cairo only when it draws
 * with it (src/layout/cairo-lib.c). */
int vc_fake_cairo(void);

int vc_fake_cairo(void)
{
    return 1;
}
