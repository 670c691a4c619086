"""The main window: its typed parts, menus, choices, banners, keyboard and accessibility."""
