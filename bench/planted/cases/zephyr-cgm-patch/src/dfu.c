/* Firmware update of the CGM patch: the phone app streams the image into the secondary slot. */
#include <zephyr/kernel.h>
#include <zephyr/dfu/mcuboot.h>
#include <zephyr/dfu/flash_img.h>
#include <zephyr/logging/log.h>

LOG_MODULE_REGISTER(dfu, LOG_LEVEL_INF);

static struct flash_img_context img;

int dfu_begin(void)
{
    return flash_img_init(&img);
}

int dfu_write(const uint8_t *chunk, size_t len, bool last)
{
    return flash_img_buffered_write(&img, chunk, len, last);
}

int dfu_finish(void)
{
    /* MCUboot checks the ECDSA signature of the secondary slot before it swaps. */
    int rc = boot_request_upgrade(BOOT_UPGRADE_TEST);
    if (rc == 0) {
        LOG_INF("upgrade requested, rebooting");
        sys_reboot(SYS_REBOOT_WARM);
    }
    return rc;
}
