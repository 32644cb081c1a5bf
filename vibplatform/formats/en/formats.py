"""English dates and times in the same shape as the Dutch ones: day, month in words, year; 24-hour time.

Django's own English formats ("Dec. 3, 2026", "3:05 p.m.") would give the second language a second format.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j-n-Y"
SHORT_DATETIME_FORMAT = "j-n-Y H:i"
